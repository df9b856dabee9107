import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  householdCursorOf,
  householdListFilters,
  householdListIndex,
  householdSearchFieldsOf,
  householdSearchOf,
  nameTokensOf,
  needCursorOf,
  needQueueIndexes,
  parseHouseholdCursor,
  parseNeedCursor,
} from './householdSearch';

describe('household search fields', () => {
  it('finds a name by any part of it', () => {
    expect(new Set(nameTokensOf('张国华'))).toEqual(
      new Set(['张', '国', '华', '张国', '国华', '张国华']),
    );
    expect(nameTokensOf(' 买买提 • 艾力 ')).toContain('买买提·艾力');
    expect(nameTokensOf('买买提·艾力')).toContain('艾力');
  });

  it('keeps a long name whole, its parts only up to ten characters', () => {
    const name = '阿卜杜热合曼·阿卜杜克里木';
    const tokens = nameTokensOf(name);
    expect(tokens).toContain(name);
    expect(Math.max(...tokens.filter((t) => t !== name).map((t) => Array.from(t).length))).toBe(10);
  });

  it('says whether a helper is assigned', () => {
    expect(householdSearchFieldsOf({ headName: '李四', helperUid: 'u1' }).assigned).toBe(true);
    expect(householdSearchFieldsOf({ headName: '李四', helperUid: null }).assigned).toBe(false);
    expect(householdSearchFieldsOf({ headName: '李四' }).assigned).toBe(false);
  });

  it('reads a search box as the last four of an ID or part of a name', () => {
    expect(householdSearchOf('012x')).toEqual({ idLast4: '012X' });
    expect(householdSearchOf('０１２３')).toEqual({ idLast4: '0123' });
    expect(householdSearchOf(' 国华 ')).toEqual({ nameToken: '国华' });
    expect(householdSearchOf('   ')).toBeUndefined();
  });

  it('round-trips page cursors, and reads a bare id as older clients send it', () => {
    expect(parseHouseholdCursor(householdCursorOf(true, 'h_a-1'))).toEqual({
      registered: true,
      id: 'h_a-1',
    });
    expect(parseHouseholdCursor('h520526105201001')).toEqual({ id: 'h520526105201001' });
    expect(parseNeedCursor(needCursorOf({ seconds: 1700000000, nanoseconds: 5 }, 'n1'))).toEqual({
      seconds: 1700000000,
      nanoseconds: 5,
      id: 'n1',
    });
    expect(parseNeedCursor('n1')).toEqual({ id: 'n1' });
  });
});

describe('firestore.indexes.json', () => {
  const file = JSON.parse(
    readFileSync(resolve(__dirname, '../../../firestore.indexes.json'), 'utf8'),
  ) as { indexes: Array<{ collectionGroup: string; fields: unknown[] }> };
  const declared = (group: string) =>
    file.indexes
      .filter((entry) => entry.collectionGroup === group)
      .map((entry) => JSON.stringify(entry.fields));

  it('declares every households list and review queue query (npx tsx functions/scripts/writeIndexes.ts)', () => {
    for (const filter of householdListFilters()) {
      expect(declared('households')).toContain(JSON.stringify(householdListIndex(filter)));
    }
    for (const fields of needQueueIndexes()) {
      expect(declared('needs')).toContain(JSON.stringify(fields));
    }
  });
});
