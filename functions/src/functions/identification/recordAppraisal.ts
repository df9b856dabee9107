import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { appraisalBodyLabels, appraisalOutcomes, presentLimits } from '../../domain/identification';
import { callable } from '../../lib/callable';
import {
  appendStep,
  logMove,
  applicationsOf,
  authorOf,
  releaseClaims,
  roundForMove,
  villageQuota,
} from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

type Issue = { path: string; code: string };

/**
 * 民主评议: the village's appraisal group (9–15 elected members, seed 002) or its villagers'
 * representative assembly meets, votes on and ranks every surveyed applicant. An applicant passes
 * with more than half of those present; new identifications that passed are listed in rank order
 * until the village's remaining quota (规模控制) is used, the rest are over quota. Every surveyed
 * application must be in the results and none that is not surveyed may be left behind; the
 * applications and the round are written only if still as read.
 */
export const recordAppraisal = callable({
  name: 'recordAppraisal',
  roles: ['village_admin'],
  handler: async ({ requestId, roundId, heldOn, body, present, results }, caller) => {
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('recordAppraisal', caller.uid, requestId, async (batch) => {
          const { snapshot: roundSnapshot, round } = await roundForMove(
            'recordAppraisal',
            caller,
            roundId,
            'appraise',
          );
          const issues: Issue[] = [];
          const limits = presentLimits[body];
          if (present.length < limits.min || present.length > limits.max) {
            issues.push({ path: 'present', code: `present_${body}` });
          }
          if (new Set(present).size !== present.length) {
            issues.push({ path: 'present', code: 'present_repeated' });
          }
          const docs = await applicationsOf(roundId);
          const byId = new Map(docs.map((doc) => [doc.id, doc]));
          const pending = docs.filter((doc) => doc.data().status === 'filed');
          if (pending.length > 0) {
            throw new HttpsError(
              'failed-precondition',
              `还有 ${pending.length} 户没有入户调查，请先完成入户调查再评议`,
              { reason: 'survey_missing', applicationIds: pending.map((doc) => doc.id) },
            );
          }
          const ranks = new Set<number>();
          const seen = new Set<string>();
          results.forEach((vote, index) => {
            const doc = byId.get(vote.applicationId);
            if (!doc || doc.data().status !== 'surveyed' || seen.has(vote.applicationId)) {
              issues.push({ path: `results.${index}.applicationId`, code: 'application_unknown' });
            }
            seen.add(vote.applicationId);
            if (ranks.has(vote.rank))
              issues.push({ path: `results.${index}.rank`, code: 'rank_repeated' });
            ranks.add(vote.rank);
            if (vote.votesFor + vote.votesAgainst > present.length) {
              issues.push({ path: `results.${index}.votesFor`, code: 'votes_exceed_present' });
            }
          });
          const surveyed = docs.filter((doc) => doc.data().status === 'surveyed');
          const missing = surveyed.filter((doc) => !seen.has(doc.id));
          if (missing.length > 0) issues.push({ path: 'results', code: 'results_incomplete' });
          if (issues.length > 0) {
            throw new HttpsError('invalid-argument', '评议结果有误，请检查标出的项目', { issues });
          }

          let remaining = Number.MAX_SAFE_INTEGER;
          if (round.kind === 'entry') {
            const { snapshot: quotaSnapshot, quota } = await villageQuota(
              round.villageCode,
              round.year,
            );
            if (!quota) {
              throw new HttpsError(
                'failed-precondition',
                '乡镇尚未下达本村今年的识别规模，请先联系乡镇扶贫工作站',
                { reason: 'quota_missing' },
              );
            }
            remaining = Math.max(0, quota.quota - quota.enrolled);
            // The quota read decides who is listed: the appraisal holds only if it is unchanged.
            batch.update(
              quotaSnapshot.ref,
              { readAt: FieldValue.serverTimestamp() },
              unchanged(quotaSnapshot),
            );
          }
          const outcomes = appraisalOutcomes(
            results.map((vote) => ({
              ...vote,
              kind: (byId.get(vote.applicationId) as (typeof docs)[number]).data().kind,
            })),
            present.length,
            remaining,
          );
          let listed = 0;
          let notPassed = 0;
          let overQuota = 0;
          for (const vote of results) {
            const doc = byId.get(vote.applicationId) as (typeof docs)[number];
            const outcome = outcomes.get(vote.applicationId) ?? 'not_passed';
            if (outcome === 'listed') listed++;
            else if (outcome === 'over_quota') overQuota++;
            else notPassed++;
            const statusReason =
              outcome === 'over_quota'
                ? '评议通过，但超出本村今年的识别规模'
                : outcome === 'not_passed'
                  ? '民主评议赞成票未过半数'
                  : null;
            batch.update(
              doc.ref,
              {
                status: outcome === 'listed' ? 'listed' : 'not_passed',
                statusReason,
                appraisal: {
                  votesFor: vote.votesFor,
                  votesAgainst: vote.votesAgainst,
                  rank: vote.rank,
                  outcome,
                },
                updatedAt: FieldValue.serverTimestamp(),
              },
              unchanged(doc),
            );
            if (outcome !== 'listed') await releaseClaims(batch, vote.applicationId);
            appendStep(batch, {
              roundId,
              villageCode: round.villageCode,
              applicationId: vote.applicationId,
              kind: 'appraised',
              author,
              decision: outcome,
              reasons: statusReason,
              detail: { votesFor: vote.votesFor, votesAgainst: vote.votesAgainst, rank: vote.rank },
            });
          }
          batch.update(
            roundSnapshot.ref,
            { stage: 'appraised', updatedAt: FieldValue.serverTimestamp() },
            unchanged(roundSnapshot),
          );
          appendStep(batch, {
            roundId,
            villageCode: round.villageCode,
            applicationId: null,
            kind: 'appraised',
            author,
            decision: `listed ${listed}`,
            detail: {
              heldOn,
              body: appraisalBodyLabels[body],
              present,
              quotaRemaining: round.kind === 'entry' ? remaining : null,
            },
          });
          return { roundId, stage: 'appraised' as const, listed, notPassed, overQuota };
        }),
      { message: '本村的识别名单刚有变化，请刷新后重试' },
    );
    logMove('recordAppraisal', replayed, caller.uid, roundId);
    return result;
  },
});
