import { createHash } from 'node:crypto';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { householdDocs, householdPrivateDocs } from '../../data/households';
import { applicationPrivateDocs, noticeDocs } from '../../data/identification';
import { cardColourOf } from '../../domain/household';
import { householdSearchFieldsOf } from '../../domain/householdSearch';
import { idConflictLabels } from '../../domain/identification';
import { regionFieldsOf } from '../../domain/regions';
import { callable } from '../../lib/callable';
import { logs } from '../../logs';
import {
  appendStep,
  logMove,
  applicationsOf,
  authorOf,
  conflictsBesides,
  idClaimRef,
  idConflicts,
  noticeEntriesOf,
  roundForMove,
  villageQuota,
} from '../../services/identification';
import { retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/** A household created at the 公告 gets an id of its application, so a retried 公告 writes it once. */
export function householdIdOfApplication(applicationId: string): string {
  return `h${createHash('sha256').update(`identified\n${applicationId}`).digest('hex').slice(0, 20)}`;
}

/**
 * 乡镇审核 and 县级审批: the township reviews a village's list after the first notice, the county
 * after the second; either approves or returns it with reasons. Each approval checks the seed's
 * exclusions again (an ID number that reached another roster or application since). The county's
 * approval is the 公告: new households enter the roster (and the registration rate's
 * denominator), exits and returns change the household's status (it stays on record), the village
 * quota's enrolled count moves, and the 公告 is posted — all in one batch, on the condition that
 * the round, the quota and every household are as read.
 */
export const reviewList = callable({
  name: 'reviewList',
  roles: ['township_admin', 'county_admin'],
  handler: async (input, caller) => {
    const { requestId, roundId, decision } = input;
    const reasons = input.reasons ?? null;
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('reviewList', caller.uid, requestId, async (batch) => {
          const { snapshot, round, move } = await roundForMove(
            'reviewList',
            caller,
            roundId,
            decision,
          );
          const base = {
            roundId,
            villageCode: round.villageCode,
            applicationId: null,
            author,
            reasons,
          };
          if (decision === 'return') {
            batch.update(
              snapshot.ref,
              {
                stage: move.to,
                returnReasons: reasons,
                returnedBy: caller.role,
                updatedAt: FieldValue.serverTimestamp(),
              },
              unchanged(snapshot),
            );
            appendStep(batch, { ...base, kind: 'returned', decision: 'return' });
            return { roundId, stage: move.to, noticeId: null, enrolled: 0 };
          }

          const listed = (await applicationsOf(roundId)).filter(
            (doc) => doc.data().status === 'listed',
          );
          const privates = await Promise.all(
            listed.map((doc) => applicationPrivateDocs().doc(doc.id).get()),
          );
          const conflicts: Array<{ applicationId: string; headName: string; code: string }> = [];
          for (const [index, doc] of listed.entries()) {
            const numbers = privates[index]?.data()?.idNumbers ?? [];
            const found = conflictsBesides(
              await idConflicts(numbers, doc.id),
              round.villageCode,
              doc.data().kind,
            );
            for (const conflict of found) {
              conflicts.push({
                applicationId: doc.id,
                headName: doc.data().headName,
                code: conflict.code,
              });
            }
          }
          if (conflicts.length > 0) {
            logs.identificationIdConflict(
              'reviewList',
              round.villageCode,
              conflicts.map((c) => c.code),
            );
            const first = conflicts[0] as (typeof conflicts)[number];
            throw new HttpsError(
              'failed-precondition',
              `${first.headName}：${idConflictLabels[first.code as keyof typeof idConflictLabels]}。请退回村里核实`,
              { reason: 'id_conflict', conflicts },
            );
          }

          let noticeId: string | null = null;
          let enrolled = 0;
          if (move.to === 'announced') {
            let newcomers = 0;
            for (const [index, doc] of listed.entries()) {
              const application = doc.data();
              if (application.kind === 'entry') {
                newcomers++;
                const householdId = householdIdOfApplication(doc.id);
                const headName = application.headName;
                batch.create(householdDocs().doc(householdId), {
                  ...regionFieldsOf(round.villageCode),
                  headName,
                  idLast4: application.idLast4,
                  address: '',
                  members: application.members,
                  causes: application.claimedCause ? [application.claimedCause] : [],
                  annualIncomeFen: application.annualIncomeFen ?? 0,
                  status: 'not_out',
                  outYear: null,
                  includedYear: round.year,
                  cardColour: cardColourOf(
                    { status: 'not_out', includedYear: round.year },
                    round.year,
                  ),
                  helperUid: null,
                  helperName: null,
                  ...householdSearchFieldsOf({ headName, helperUid: null }),
                  onRoster: true,
                  registered: false,
                  identifiedBy: doc.id,
                  importedBy: caller.uid,
                  importedAt: FieldValue.serverTimestamp(),
                });
                batch.create(householdPrivateDocs().doc(householdId), {
                  idNumber: privates[index]?.data()?.headIdNumber ?? '',
                  villageCode: round.villageCode,
                });
                batch.update(
                  doc.ref,
                  { status: 'enrolled', householdId, updatedAt: FieldValue.serverTimestamp() },
                  unchanged(doc),
                );
              } else {
                const household = await householdDocs()
                  .doc(application.householdId as string)
                  .get();
                const status = application.kind === 'exit' ? 'out' : 'returned';
                const outYear =
                  application.kind === 'exit' ? round.year : (household.data()?.outYear ?? null);
                batch.update(
                  household.ref,
                  { status, outYear, cardColour: cardColourOf({ status, outYear }, round.year) },
                  unchanged(household),
                );
                batch.update(
                  doc.ref,
                  { status: 'enrolled', updatedAt: FieldValue.serverTimestamp() },
                  unchanged(doc),
                );
              }
              batch.update(applicationPrivateDocs().doc(doc.id), { open: false });
              for (const id of privates[index]?.data()?.idNumbers ?? [])
                batch.delete(idClaimRef(id));
              enrolled++;
            }
            if (newcomers > 0) {
              const { snapshot: quotaSnapshot, quota } = await villageQuota(
                round.villageCode,
                round.year,
              );
              if (!quota || quota.enrolled + newcomers > quota.quota) {
                throw new HttpsError(
                  'failed-precondition',
                  '名单超出本村今年的识别规模，请退回乡镇核实指标',
                  { reason: 'over_quota' },
                );
              }
              batch.update(
                quotaSnapshot.ref,
                { enrolled: quota.enrolled + newcomers },
                unchanged(quotaSnapshot),
              );
            }
            const ref = noticeDocs().doc(`${roundId}_announcement_1`);
            noticeId = ref.id;
            const current = round.noticeId
              ? (await noticeDocs().doc(round.noticeId).get()).data()
              : undefined;
            batch.create(ref, {
              ...regionFieldsOf(round.villageCode),
              roundId,
              year: round.year,
              kind: round.kind,
              stage: 'announcement',
              opensAt: Timestamp.now(),
              closesAt: null,
              contactPhone: current?.contactPhone ?? '',
              entries: noticeEntriesOf(listed),
              postedBy: caller.uid,
            });
            appendStep(batch, {
              ...base,
              kind: 'announced',
              decision: 'approve',
              detail: { noticeId, enrolled },
            });
            for (const doc of listed) {
              appendStep(batch, {
                ...base,
                applicationId: doc.id,
                kind: 'announced',
                decision: 'enrolled',
              });
            }
          } else {
            appendStep(batch, { ...base, kind: 'approved', decision: 'approve' });
          }
          batch.update(
            snapshot.ref,
            {
              stage: move.to,
              ...(noticeId ? { noticeId } : {}),
              updatedAt: FieldValue.serverTimestamp(),
            },
            unchanged(snapshot),
          );
          return { roundId, stage: move.to, noticeId, enrolled };
        }),
      { message: '本村的识别名单刚有变化，请刷新后重试' },
    );
    logMove('reviewList', replayed, caller.uid, roundId);
    return result;
  },
});
