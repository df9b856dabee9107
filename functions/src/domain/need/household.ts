/** The household behind a need: whether it may have this need submitted. */
import type { HouseholdStatus } from '../household';
import { mentionsName } from '../validation/text';
import type { SubmittedNeed } from './submission';

export interface NeedHousehold {
  villageCode: string;
  headName: string;
  idLast4: string;
  /** Absent on a household written by hand with no more than its village, roster flags and head. */
  status: HouseholdStatus | undefined;
  onRoster: boolean;
  registered: boolean;
}

/**
 * Why this household may not have this need submitted, as `{ path, code }` in the submission's
 * terms. The household must be on the roster and registered on the platform (needs come after
 * registration, seed 000), not stably out of poverty (its needs are not published), and the
 * name and ID number on the need must be those of the household file.
 */
export function needHouseholdProblems(
  need: Pick<SubmittedNeed, 'headName' | 'idNumber'> & { reason?: string },
  household: NeedHousehold,
): Array<{ path: string; code: string }> {
  const problems: Array<{ path: string; code: string }> = [];
  if (!household.onRoster) problems.push({ path: 'householdId', code: 'household_not_on_roster' });
  if (!household.registered)
    problems.push({ path: 'householdId', code: 'household_not_registered' });
  if (household.status === 'stably_out')
    problems.push({ path: 'householdId', code: 'household_stably_out' });
  if (need.headName !== household.headName)
    problems.push({ path: 'headName', code: 'household_name_mismatch' });
  if (need.idNumber.slice(-4) !== household.idLast4)
    problems.push({ path: 'idNumber', code: 'household_id_mismatch' });
  // The reason is published beside the masked name (张*华): it must not name the household.
  if (need.reason !== undefined && mentionsName(need.reason, household.headName))
    problems.push({ path: 'reason', code: 'reason_name' });
  return problems;
}
