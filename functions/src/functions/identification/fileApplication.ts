import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { householdDocs, householdPrivateDocs } from '../../data/households';
import { standardCauseOf, type PovertyCause } from '../../domain/household';
import { applicationDocs, applicationPrivateDocs, roundDocs } from '../../data/identification';
import {
  idConflictLabels,
  roundIdOf,
  roundKindOf,
  roundStageLabels,
  type ApplicationStatus,
} from '../../domain/identification';
import { regionFieldsOf } from '../../domain/regions';
import { callable, deny } from '../../lib/callable';
import { logs } from '../../logs';
import {
  appendStep,
  logMove,
  authorOf,
  conflictsBesides,
  idClaimRef,
  idConflicts,
} from '../../services/identification';
import { createdOrConflict, retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';

/**
 * 农户申请 (seed 003 附件3), filed by the village's administrator or a helper for the household:
 * a new identification with the household's members, income, housing and claimed cause; or a
 * roster household's exit (脱贫) or return (返贫) for the yearly adjustment. The application joins
 * its village's round of the year (created by the first), which must still be collecting.
 *
 * The seed's exclusions are checked here: an ID number (the head's or a member's) already on any
 * village's roster, on another open application anywhere, or twice on this one is refused with
 * the field it is in (拆户、分户、空挂户); 五保户/三无户 are recorded and referred to 五保供养/低保,
 * never appraised. Each number is claimed in the batch that files the application, so two
 * applications racing with one number cannot both be filed.
 */
export const fileApplication = callable({
  name: 'fileApplication',
  roles: ['village_admin', 'helper'],
  handler: async (input, caller) => {
    const villageCode = caller.region;
    const roundKind = roundKindOf(input.kind);
    const roundId = roundIdOf(villageCode, input.year, roundKind);
    const author = { byUid: caller.uid, ...(await authorOf(caller)) };
    const { result, replayed } = await retryOnConflict(
      () =>
        createdOrConflict(
          runOnce('fileApplication', caller.uid, input.requestId, async (batch) => {
            const roundRef = roundDocs().doc(roundId);
            const roundSnapshot = await roundRef.get();
            const round = roundSnapshot.data();
            if (round && round.stage !== 'collecting') {
              throw new HttpsError(
                'failed-precondition',
                `本村${input.year}年的名单已进入"${roundStageLabels[round.stage]}"阶段，新的申请请等下一轮识别`,
                { reason: 'stage', stage: round.stage },
              );
            }

            let household: {
              headName: string;
              idLast4: string;
              members: number;
              idNumbers: string[];
              paths: string[];
              householdId: string | null;
              claimedCause: PovertyCause | null;
              annualIncomeFen: number | null;
            };
            if (input.kind === 'entry') {
              household = {
                headName: input.headName,
                idLast4: input.headIdNumber.slice(-4),
                members: input.members.length + 1,
                idNumbers: [input.headIdNumber, ...input.members.map((member) => member.idNumber)],
                paths: ['headIdNumber', ...input.members.map((_, i) => `members.${i}.idNumber`)],
                householdId: null,
                claimedCause: input.claimedCause,
                annualIncomeFen: input.annualIncomeFen,
              };
            } else {
              const stored = (await householdDocs().doc(input.householdId).get()).data();
              if (!stored || stored.villageCode !== villageCode)
                deny('fileApplication', caller.uid);
              if (caller.role === 'helper' && stored.helperUid !== caller.uid) {
                deny('fileApplication', caller.uid);
              }
              const status = stored.status ?? 'not_out';
              const fits =
                stored.onRoster &&
                (input.kind === 'exit'
                  ? status === 'not_out' || status === 'returned'
                  : status === 'out' || status === 'stably_out');
              if (!fits) {
                throw new HttpsError(
                  'failed-precondition',
                  input.kind === 'exit'
                    ? '该户不是未脱贫或返贫户，不能申请脱贫退出'
                    : '该户不是已脱贫户，不能申请返贫',
                  { reason: 'household_status' },
                );
              }
              const idNumber = (await householdPrivateDocs().doc(input.householdId).get()).data()
                ?.idNumber;
              household = {
                headName: stored.headName,
                idLast4: stored.idLast4,
                members: stored.members ?? 1,
                idNumbers: idNumber ? [idNumber] : [],
                paths: ['householdId'],
                householdId: input.householdId,
                claimedCause: standardCauseOf(stored.causes?.[0] ?? '') ?? null,
                annualIncomeFen: stored.annualIncomeFen ?? null,
              };
            }

            const conflicts = conflictsBesides(
              await idConflicts(household.idNumbers),
              villageCode,
              input.kind,
            );
            if (conflicts.length > 0) {
              logs.identificationIdConflict(
                'fileApplication',
                villageCode,
                conflicts.map((conflict) => conflict.code),
              );
              const first = conflicts[0] as (typeof conflicts)[number];
              throw new HttpsError('failed-precondition', idConflictLabels[first.code], {
                reason: 'id_conflict',
                issues: conflicts.map((conflict) => ({
                  // A repeated number is pointed at where it is repeated, not where it first appears.
                  path:
                    household.paths[
                      conflict.code === 'id_repeated'
                        ? household.idNumbers.lastIndexOf(conflict.idNumber)
                        : household.idNumbers.indexOf(conflict.idNumber)
                    ] ?? '',
                  code: conflict.code,
                })),
              });
            }

            const wubao = input.kind === 'entry' && input.wubao;
            const status: ApplicationStatus = wubao ? 'referred' : 'filed';
            const ref = applicationDocs().doc();
            if (!round) {
              batch.create(roundRef, {
                ...regionFieldsOf(villageCode),
                year: input.year,
                kind: roundKind,
                stage: 'collecting',
                returnReasons: null,
                returnedBy: null,
                noticeId: null,
                createdAt: FieldValue.serverTimestamp(),
                updatedAt: FieldValue.serverTimestamp(),
              });
            } else {
              // The round must still be collecting when the application joins it.
              batch.update(
                roundRef,
                { updatedAt: FieldValue.serverTimestamp() },
                unchanged(roundSnapshot),
              );
            }
            batch.create(ref, {
              ...regionFieldsOf(villageCode),
              roundId,
              year: input.year,
              kind: input.kind,
              status,
              statusReason: wubao ? '五保户/三无户，转五保供养或低保' : null,
              headName: household.headName,
              idLast4: household.idLast4,
              members: household.members,
              claimedCause: household.claimedCause,
              housing: input.kind === 'entry' ? input.housing : null,
              annualIncomeFen: household.annualIncomeFen,
              situation: input.situation,
              appliedOn: input.appliedOn,
              householdId: household.householdId,
              survey: null,
              appraisal: null,
              filedBy: caller.uid,
              filedAt: FieldValue.serverTimestamp(),
              updatedAt: FieldValue.serverTimestamp(),
            });
            batch.create(applicationPrivateDocs().doc(ref.id), {
              villageCode,
              headIdNumber: household.idNumbers[0] ?? '',
              idNumbers: household.idNumbers,
              open: !wubao,
              memberDetails: input.kind === 'entry' ? input.members : [],
              wubao,
            });
            if (!wubao) {
              for (const id of household.idNumbers) {
                batch.create(idClaimRef(id), { applicationId: ref.id, villageCode });
              }
            }
            appendStep(batch, {
              roundId,
              villageCode,
              applicationId: ref.id,
              kind: 'filed',
              author,
              decision: input.kind,
            });
            if (wubao) {
              appendStep(batch, {
                roundId,
                villageCode,
                applicationId: ref.id,
                kind: 'referred',
                author,
                reasons: '五保户/三无户，转五保供养或低保',
              });
            }
            return { applicationId: ref.id, roundId, status };
          }),
        ),
      { message: '本村的识别名单刚有变化，请重试' },
    );
    logMove('fileApplication', replayed, caller.uid, result.roundId);
    return result;
  },
});
