import { householdDeltas, registrationRate } from './rates';

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
