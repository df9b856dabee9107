import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  followedRegionIndex,
  maxShortfallHeadStartMs,
  publicNeedFilters,
  publicNeedIndex,
  rankAtOf,
  searchTokenOf,
  searchTokensOf,
} from './discovery';
import { regionLevels } from './regions';

const day = 86_400_000;
const now = Date.UTC(2026, 10, 23);

describe('the default order of published needs', () => {
  it('puts a need that has waited longer first, between villages at the same match rate', () => {
    const village = { publishedNeeds: 10, matchedNeeds: 3 };
    expect(rankAtOf(now - 20 * day, village)).toBeLessThan(rankAtOf(now - 2 * day, village));
  });

  it('puts a village far below the 60% match target ahead of one that has reached it', () => {
    const lagging = { publishedNeeds: 10, matchedNeeds: 0 };
    const onTarget = { publishedNeeds: 10, matchedNeeds: 6 };
    expect(rankAtOf(now, lagging)).toBeLessThan(rankAtOf(now, onTarget));
    // ...by at most the head start: a month-old need of a village on target still comes first.
    expect(rankAtOf(now - 31 * day, onTarget)).toBeLessThan(rankAtOf(now, lagging));
    expect(rankAtOf(now, lagging)).toBe(now - maxShortfallHeadStartMs);
  });

  it('gives no extra head start above the target, and counts a village with nothing published as lagging', () => {
    expect(rankAtOf(now, { publishedNeeds: 10, matchedNeeds: 9 })).toBe(now);
    expect(rankAtOf(now, { publishedNeeds: 0, matchedNeeds: 0 })).toBe(
      now - maxShortfallHeadStartMs,
    );
    expect(rankAtOf(now, undefined)).toBe(now - maxShortfallHeadStartMs);
  });

  it('is not moved by popularity: the same waiting time and village rank the same', () => {
    const village = { publishedNeeds: 4, matchedNeeds: 1 };
    expect(rankAtOf(now - day, village)).toBe(rankAtOf(now - day, { ...village }));
  });
});

describe('search tokens', () => {
  it('lets a donor find a need by masked name, surname or village name with or without 村', () => {
    expect(searchTokensOf('张*华', '新街村')).toEqual(['张*华', '张', '新街村', '新街']);
    expect(searchTokensOf('欧阳**', '石门社区')).toEqual(['欧阳**', '欧阳', '石门社区', '石门']);
  });

  it('never makes a bare asterisk a token', () => {
    expect(searchTokensOf('*', '团结村')).toEqual(['团结村', '团结']);
  });

  it('reads what a donor types the way the tokens are stored', () => {
    expect(searchTokenOf(' 张＊华 ')).toBe('张*华');
    expect(searchTokenOf('新 街 村')).toBe('新街村');
  });
});

describe('firestore.indexes.json', () => {
  const declared = (
    JSON.parse(readFileSync(resolve(__dirname, '../../../firestore.indexes.json'), 'utf8')) as {
      indexes: Array<{ collectionGroup: string; fields: unknown[] }>;
    }
  ).indexes
    .filter((index) => index.collectionGroup === 'publicNeeds')
    .map((index) => JSON.stringify(index.fields));

  it.each(publicNeedFilters().map((filter) => [JSON.stringify(filter), filter] as const))(
    'declares the index of the donor filter %s',
    (_name, filter) => {
      expect(declared).toContain(JSON.stringify(publicNeedIndex(filter)));
    },
  );

  it.each(regionLevels)('declares the index of news from a followed %s', (level) => {
    expect(declared).toContain(JSON.stringify(followedRegionIndex(level)));
  });

  it('covers all 24 combinations of region level, category and search', () => {
    expect(new Set(publicNeedFilters().map((f) => JSON.stringify(f))).size).toBe(24);
  });
});
