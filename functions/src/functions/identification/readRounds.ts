import { HttpsError } from 'firebase-functions/v2/https';
import type { RoundDetail, RoundSummary } from '../../contract/identification';
import { noticeDocs, objectionDocs, roundDocs, type StoredRound } from '../../data/identification';
import { isWithin, levelOfCode, regionFieldNameOf } from '../../domain/regions';
import { callable, deny } from '../../lib/callable';
import {
  applicationRowOf,
  applicationsOf,
  canSeeVillage,
  noticeRowOf,
  objectionRowOf,
  placeNameOf,
  roundSummaryOf,
  stepRowOf,
  stepsOf,
  villageQuota,
} from '../../services/identification';
import { staffRoles, type Caller } from '../../domain/roles';

async function summaryOf(caller: Caller, id: string, round: StoredRound): Promise<RoundSummary> {
  const [applications, objections, quota, place] = await Promise.all([
    applicationsOf(id),
    objectionDocs().where('roundId', '==', id).get(),
    villageQuota(round.villageCode, round.year),
    placeNameOf(round.villageCode),
  ]);
  return roundSummaryOf(
    caller,
    id,
    round,
    {
      applications: applications.length,
      listed: applications.filter((doc) => doc.data().status === 'listed').length,
      openObjections: objections.docs.filter((doc) => doc.data().status === 'open').length,
      quota: round.kind === 'entry' ? (quota.quota?.quota ?? null) : null,
    },
    place.village,
  );
}

/**
 * The identification rounds of a region (the caller's, or one within it): a village sees its own,
 * the township and county those of their villages, each with what the caller may do next.
 */
export const listIdentificationRounds = callable({
  name: 'listIdentificationRounds',
  roles: staffRoles,
  handler: async ({ regionCode, year }, caller) => {
    const code = regionCode ?? caller.region;
    const level = levelOfCode(code);
    if (caller.role !== 'ops' && !isWithin(code, caller.region)) {
      deny('listIdentificationRounds', caller.uid);
    }
    if (!level) throw new HttpsError('invalid-argument', '地区代码有误');
    const snapshot = await roundDocs().where(regionFieldNameOf(level), '==', code).get();
    const rounds = await Promise.all(
      snapshot.docs
        .filter((doc) => year === undefined || doc.data().year === year)
        .map((doc) => summaryOf(caller, doc.id, doc.data())),
    );
    rounds.sort(
      (a, b) =>
        b.year - a.year ||
        a.villageCode.localeCompare(b.villageCode) ||
        a.kind.localeCompare(b.kind),
    );
    return { rounds };
  },
});

/**
 * One round whole: its applications (ID numbers as their last four), notices, objections (never
 * the objector's phone) and every step of its record.
 */
export const getIdentificationRound = callable({
  name: 'getIdentificationRound',
  roles: staffRoles,
  handler: async ({ roundId }, caller): Promise<RoundDetail> => {
    const round = (await roundDocs().doc(roundId).get()).data();
    if (!round || !canSeeVillage(caller, round.villageCode)) {
      deny('getIdentificationRound', caller.uid);
    }
    const [summary, applications, notices, objections, steps] = await Promise.all([
      summaryOf(caller, roundId, round),
      applicationsOf(roundId),
      noticeDocs().where('roundId', '==', roundId).get(),
      objectionDocs().where('roundId', '==', roundId).get(),
      stepsOf(roundId),
    ]);
    const names = new Map(applications.map((doc) => [doc.id, doc.data().headName]));
    return {
      round: summary,
      applications: applications
        .map((doc) => applicationRowOf(doc.id, doc.data()))
        .sort((a, b) => a.appliedOn.localeCompare(b.appliedOn) || a.id.localeCompare(b.id)),
      notices: notices.docs
        .map((doc) => noticeRowOf(doc.id, doc.data()))
        .sort((a, b) => a.opensAt.localeCompare(b.opensAt)),
      objections: objections.docs
        .map((doc) => objectionRowOf(doc.id, doc.data(), names.get(doc.data().applicationId) ?? ''))
        .sort((a, b) => a.filedAt.localeCompare(b.filedAt)),
      steps: steps.map(stepRowOf),
      returnReasons: round.returnReasons,
    };
  },
});
