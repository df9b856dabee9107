import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { needHouseholdProblems } from '../domain/need/household';
import { needDocumentsOf } from '../domain/need/stored';
import { regionFieldsOf } from '../domain/regions';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { householdDocs, householdPrivateDocs } from '../data/households';
import { getAllOf } from '../data/converter';
import { evidencePhotoDocs, needDocs, needPrivateDocs } from '../data/needs';
import { retryOnConflict, unchanged } from '../services/needs';
import { runOnce } from '../services/requests';
import type { CallableAnswer, CallableParsedInput } from '../contract';
import type { Caller } from '../domain/roles';

/**
 * A helper or village information administrator submits a need of a household of their village
 * with the seven elements. The need waits for the in-person review; nobody can publish it here.
 * Idempotent on the client's request id. Everything checked holds at the commit: the household
 * and the photos are written only if unchanged since read, so a helper reassigned (or a
 * household marked 稳定脱贫) meanwhile makes the checks run again instead of passing stale.
 */
export const submitNeed = callable({
  name: 'submitNeed',
  roles: ['village_admin', 'helper'],
  handler: (input, caller) =>
    retryOnConflict(() => submitChecked(input, caller), {
      message: '该户信息刚被更改，请刷新后重试',
    }),
});

async function submitChecked(
  input: CallableParsedInput<'submitNeed'>,
  caller: Caller,
): Promise<CallableAnswer<'submitNeed'>> {
  const [householdSnapshot, householdPrivate] = await Promise.all([
    householdDocs().doc(input.householdId).get(),
    householdPrivateDocs().doc(input.householdId).get(),
  ]);
  const household = householdSnapshot.data();
  const inScope =
    household !== undefined &&
    household.villageCode === caller.region &&
    (caller.role === 'village_admin' || household.helperUid === caller.uid);
  if (!household || !inScope) deny('submitNeed', caller.uid);

  const problems = needHouseholdProblems(input, {
    villageCode: household.villageCode,
    headName: household.headName,
    idLast4: household.idLast4,
    status: household.status,
    onRoster: household.onRoster,
    registered: household.registered,
  });
  if (
    householdPrivate.data()?.idNumber !== input.idNumber &&
    !problems.some((p) => p.path === 'idNumber')
  ) {
    problems.push({ path: 'idNumber', code: 'household_id_mismatch' });
  }
  const photos = await getAllOf(input.evidencePhotoIds.map((id) => evidencePhotoDocs().doc(id)));
  photos.forEach((snapshot, index) => {
    const photo = snapshot.data();
    // A helper attaches only photos they uploaded: a photo is theirs to see through the need
    // it belongs to (getEvidencePhotoUrls), so attaching another's would be a way to see it.
    const foreign = caller.role === 'helper' && photo?.uploaderUid !== caller.uid;
    if (!photo || photo.villageCode !== caller.region || foreign) {
      problems.push({ path: `evidencePhotoIds.${index}`, code: 'evidence_unknown' });
    } else if (photo.status === 'quarantined') {
      problems.push({ path: `evidencePhotoIds.${index}`, code: 'evidence_quarantined' });
    }
  });
  if (problems.length > 0) {
    throw new HttpsError('invalid-argument', '需求信息与贫困户档案不符', { issues: problems });
  }

  const { result, replayed } = await runOnce(
    'submitNeed',
    caller.uid,
    input.requestId,
    async (batch) => {
      const ref = needDocs().doc();
      const { need, needPrivate } = needDocumentsOf(input, regionFieldsOf(caller.region));
      batch.create(ref, {
        ...need,
        submittedBy: caller.uid,
        submittedRole: caller.role,
        submittedAt: FieldValue.serverTimestamp(),
        updatedAt: FieldValue.serverTimestamp(),
      });
      batch.create(needPrivateDocs().doc(ref.id), {
        ...needPrivate,
        villageCode: caller.region,
      });
      for (const photo of photos) batch.update(photo.ref, { needId: ref.id }, unchanged(photo));
      batch.update(
        householdSnapshot.ref,
        { lastNeedSubmittedAt: FieldValue.serverTimestamp() },
        unchanged(householdSnapshot),
      );
      return { needId: ref.id, status: 'submitted' as const };
    },
  );
  if (!replayed) {
    logs.needMoved('submitNeed', result.needId, caller.region, null, 'submitted', caller.uid);
  }
  return result;
}
