import { validId } from './fixtures';
import { needHouseholdProblems } from './household';

describe('the household behind a need', () => {
  const household = {
    villageCode: '520526105201',
    headName: '张国华',
    idLast4: validId.slice(-4),
    status: 'out' as const,
    onRoster: true,
    registered: true,
  };
  const need = { headName: '张国华', idNumber: validId };

  it('accepts the household of the file', () => {
    expect(needHouseholdProblems(need, household)).toEqual([]);
  });

  test.each([
    [
      { status: 'stably_out' as const },
      need,
      [{ path: 'householdId', code: 'household_stably_out' }],
    ],
    [{ onRoster: false }, need, [{ path: 'householdId', code: 'household_not_on_roster' }]],
    [{ registered: false }, need, [{ path: 'householdId', code: 'household_not_registered' }]],
    [{}, { ...need, headName: '张国强' }, [{ path: 'headName', code: 'household_name_mismatch' }]],
    [
      {},
      { ...need, idNumber: '11010519491231002X' },
      [{ path: 'idNumber', code: 'household_id_mismatch' }],
    ],
  ])('%j %j → %j', (change, input, expected) => {
    expect(needHouseholdProblems(input, { ...household, ...change })).toEqual(expected);
  });
});
