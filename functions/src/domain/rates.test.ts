import {
  fulfilledRate,
  householdDeltas,
  matchRate,
  needDeltas,
  registrationRate,
  shortfall,
  sumCounts,
  zeroCounts,
} from './rates';

const village = '520526105201';
const other = '520526105202';

describe('household deltas', () => {
  test.each([
    [
      'a roster household appears',
      undefined,
      { villageCode: village, onRoster: true, registered: false },
      { [village]: { rosterHouseholds: 1 } },
    ],
    [
      'it is registered',
      { villageCode: village, onRoster: true, registered: false },
      { villageCode: village, onRoster: true, registered: true },
      { [village]: { registeredHouseholds: 1 } },
    ],
    [
      'an unrelated field changes',
      { villageCode: village, onRoster: true, registered: true },
      { villageCode: village, onRoster: true, registered: true },
      {},
    ],
    [
      'a registered household leaves the roster',
      { villageCode: village, onRoster: true, registered: true },
      { villageCode: village, onRoster: false, registered: true },
      { [village]: { rosterHouseholds: -1, registeredHouseholds: -1 } },
    ],
    [
      'it is deleted',
      { villageCode: village, onRoster: true, registered: false },
      undefined,
      { [village]: { rosterHouseholds: -1 } },
    ],
    [
      'it moves village',
      { villageCode: village, onRoster: true, registered: true },
      { villageCode: other, onRoster: true, registered: true },
      {
        [village]: { rosterHouseholds: -1, registeredHouseholds: -1 },
        [other]: { rosterHouseholds: 1, registeredHouseholds: 1 },
      },
    ],
  ])('%s', (_what, before, after, expected) => {
    expect(Object.fromEntries(householdDeltas(before, after))).toEqual(expected);
  });

  it('derives the rate from the counts and has none for an empty roster', () => {
    expect(registrationRate({ rosterHouseholds: 4, registeredHouseholds: 3 })).toBe(0.75);
    expect(registrationRate({ rosterHouseholds: 0, registeredHouseholds: 0 })).toBeUndefined();
  });
});

describe('need counts', () => {
  const need = (status: string, villageCode = village) => ({ villageCode, status });
  test.each([
    ['submitted → published', 'submitted', 'published', { publishedNeeds: 1 }],
    ['published → matched', 'published', 'matched', { matchedNeeds: 1 }],
    ['matched → fulfilled', 'matched', 'fulfilled', { fulfilledNeeds: 1 }],
    ['fulfilled → closed', 'fulfilled', 'closed', {}],
    ['published → withdrawn', 'published', 'withdrawn', { publishedNeeds: -1 }],
    ['published → invalid', 'published', 'invalid', { publishedNeeds: -1 }],
    ['submitted → rejected', 'submitted', 'rejected', {}],
    // A refund or lapse uncovers a need: it leaves the matched (and fulfilled) counts again.
    ['matched → published (uncovered)', 'matched', 'published', { matchedNeeds: -1 }],
    [
      'fulfilled → published (uncovered)',
      'fulfilled',
      'published',
      { matchedNeeds: -1, fulfilledNeeds: -1 },
    ],
    [
      'closed → published (uncovered)',
      'closed',
      'published',
      { matchedNeeds: -1, fulfilledNeeds: -1 },
    ],
    [
      'fulfilled → withdrawn (found false)',
      'fulfilled',
      'withdrawn',
      { publishedNeeds: -1, matchedNeeds: -1, fulfilledNeeds: -1 },
    ],
  ])('%s', (_what, from, to, expected) => {
    const deltas = needDeltas(need(from), need(to));
    expect(Object.fromEntries(deltas)).toEqual(
      Object.keys(expected).length ? { [village]: expected } : {},
    );
  });

  it('derives match and fulfilled rates and the shortfall against both targets', () => {
    const counts = {
      ...zeroCounts(),
      rosterHouseholds: 10,
      registeredHouseholds: 10,
      publishedNeeds: 10,
      matchedNeeds: 3,
      fulfilledNeeds: 1,
    };
    expect(matchRate(counts)).toBe(0.3);
    expect(fulfilledRate(counts)).toBe(0.1);
    expect(shortfall(counts)).toBeCloseTo(0.3);
    expect(shortfall({ ...counts, registeredHouseholds: 5 })).toBeCloseTo(0.5);
    expect(shortfall(zeroCounts())).toBe(0);
    expect(sumCounts([counts, { rosterHouseholds: 5 }])).toEqual({
      ...counts,
      rosterHouseholds: 15,
    });
  });
});
