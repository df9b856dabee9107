import { revalidationPatch } from './revalidation';
import {
  canTransition,
  needStatuses,
  needTransitions,
  nextStatuses,
  statusForCoverage,
  type NeedActor,
  type NeedStatus,
} from './status';

describe('the lifecycle', () => {
  const actors: NeedActor[] = [
    'household',
    'helper',
    'village_admin',
    'township_admin',
    'county_admin',
    'ops',
    'donor',
    'system',
  ];

  test.each([
    [null, 'submitted', 'helper', true],
    [null, 'submitted', 'village_admin', true],
    [null, 'submitted', 'household', false],
    [null, 'submitted', 'township_admin', false],
    [null, 'published', 'village_admin', false],
    ['submitted', 'under_review', 'village_admin', true],
    ['submitted', 'under_review', 'helper', false],
    ['submitted', 'published', 'village_admin', false], // not without the in-person review
    ['under_review', 'published', 'village_admin', true],
    ['under_review', 'published', 'household', false],
    ['under_review', 'published', 'helper', false],
    ['under_review', 'published', 'township_admin', false],
    ['under_review', 'published', 'ops', false],
    ['under_review', 'published', 'system', false],
    ['under_review', 'rejected', 'village_admin', true],
    ['under_review', 'rejected', 'helper', false],
    ['submitted', 'withdrawn', 'helper', true],
    ['under_review', 'withdrawn', 'helper', true],
    ['published', 'withdrawn', 'village_admin', true],
    ['published', 'withdrawn', 'helper', false],
    ['rejected', 'published', 'village_admin', false],
    ['withdrawn', 'submitted', 'helper', false],
    ['published', 'invalid', 'system', true],
    ['published', 'invalid', 'village_admin', false],
    ['matched', 'invalid', 'system', false],
    ['invalid', 'submitted', 'system', true],
    ['invalid', 'published', 'village_admin', false],
    ['published', 'matched', 'system', true],
    ['published', 'matched', 'donor', false],
    ['matched', 'fulfilled', 'helper', true],
    ['fulfilled', 'closed', 'village_admin', true],
    ['closed', 'published', 'village_admin', false],
    ['matched', 'published', 'village_admin', false],
    ['matched', 'withdrawn', 'village_admin', false],
    ['matched', 'withdrawn', 'ops', true],
    ['fulfilled', 'withdrawn', 'ops', true],
    ['under_review', 'withdrawn', 'ops', false],
  ] as const)('%s → %s by %s: %s', (from, to, actor, allowed) => {
    expect(canTransition(from, to, actor)).toBe(allowed);
  });

  it('lets no one but a village administrator publish, from any status', () => {
    for (const from of [null, ...needStatuses] as Array<NeedStatus | null>) {
      for (const actor of actors) {
        if (canTransition(from, 'published', actor)) {
          // The system only returns an already published need that lost its coverage.
          if (actor === 'system') expect(['matched', 'fulfilled', 'closed']).toContain(from);
          else expect([from, actor]).toEqual(['under_review', 'village_admin']);
        }
      }
    }
  });

  test.each([
    ['published', true, 'matched'],
    ['published', false, 'published'],
    ['matched', true, 'matched'],
    ['matched', false, 'published'],
    ['fulfilled', false, 'published'],
    ['closed', false, 'published'],
    ['fulfilled', true, 'fulfilled'],
    ['withdrawn', true, 'withdrawn'],
    ['withdrawn', false, 'withdrawn'],
    ['invalid', false, 'invalid'],
  ] as const)('a %s need, covered %s, becomes %s', (from, covered, to) => {
    expect(statusForCoverage(from, covered)).toBe(to);
    if (from !== to) expect(canTransition(from, to, 'system')).toBe(true);
  });

  it('never takes down a need that holds an accepted gift or kept pledge', () => {
    const problems = ['reason:not_canonical'];
    expect(revalidationPatch({ status: 'published', raisedFen: 100 }, problems)).toEqual({
      problems,
    });
    expect(
      revalidationPatch({ status: 'published', itemProgress: [{ pledged: 1 }] }, problems),
    ).toEqual({ problems });
    expect(revalidationPatch({ status: 'published', raisedFen: 0 }, problems)).toEqual({
      status: 'invalid',
      problems,
    });
  });

  it('gives the household no transition at all', () => {
    for (const from of [null, ...needStatuses] as Array<NeedStatus | null>) {
      expect(nextStatuses(from, 'household')).toEqual([]);
    }
  });

  it('names every status in the table', () => {
    const named = new Set(needTransitions.flatMap((t) => [t.from, t.to]));
    for (const status of needStatuses) expect(named.has(status)).toBe(true);
  });

  it('lists what a helper may do with a submitted need', () => {
    expect(nextStatuses('submitted', 'helper')).toEqual(['withdrawn']);
    expect(nextStatuses('under_review', 'village_admin')).toEqual([
      'published',
      'rejected',
      'withdrawn',
    ]);
  });
});
