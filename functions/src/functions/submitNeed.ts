import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { needHouseholdProblems } from '../domain/need/household';
import { needDocumentsOf } from '../domain/need/stored';
import { submitNeedInput } from '../domain/need/submission';
import { regionFieldsOf } from '../domain/regions';
import type { HouseholdStatus } from '../domain/household';
import { untypedCallable, deny } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { evidencePhotosCollection } from '../services/needs';
import { runOnce } from '../services/requests';

/**
 * A helper or village information administrator submits a need of a household of their village
 * with the seven elements. The need waits for the in-person review; nobody can publish it here.
 * Idempotent on the client's request id.
 */
export const submitNeed = untypedCallable({
  name: 'submitNeed',
  input: submitNeedInput,
  roles: ['village_admin', 'helper'],
  handler: async (input, caller) => {
    const [household, householdPrivate] = await Promise.all([
      db().collection(collections.households).doc(input.householdId).get(),
      db().collection(collections.householdsPrivate).doc(input.householdId).get(),
    ]);
    const inScope =
      household.exists &&
      household.get('villageCode') === caller.region &&
      (caller.role === 'village_admin' || household.get('helperUid') === caller.uid);
    if (!inScope) deny('submitNeed', caller.uid);

    const problems = needHouseholdProblems(input, {
      villageCode: household.get('villageCode'),
      headName: household.get('headName'),
      idLast4: household.get('idLast4'),
      status: household.get('status') as HouseholdStatus,
      onRoster: household.get('onRoster') === true,
      registered: household.get('registered') === true,
    });
    if (
      householdPrivate.get('idNumber') !== input.idNumber &&
      !problems.some((p) => p.path === 'idNumber')
    ) {
      problems.push({ path: 'idNumber', code: 'household_id_mismatch' });
    }
    const photos = await db().getAll(
      ...input.evidencePhotoIds.map((id) => db().collection(evidencePhotosCollection).doc(id)),
    );
    photos.forEach((photo, index) => {
      // A helper attaches only photos they uploaded: a photo is theirs to see through the need
      // it belongs to (getEvidencePhotoUrls), so attaching another's would be a way to see it.
      const foreign = caller.role === 'helper' && photo.get('uploaderUid') !== caller.uid;
      if (!photo.exists || photo.get('villageCode') !== caller.region || foreign) {
        problems.push({ path: `evidencePhotoIds.${index}`, code: 'evidence_unknown' });
      } else if (photo.get('status') === 'quarantined') {
        problems.push({ path: `evidencePhotoIds.${index}`, code: 'evidence_quarantined' });
      }
    });
    if (problems.length > 0) {
      throw new HttpsError('invalid-argument', '需求信息与贫困户档案不符', { issues: problems });
    }

    const { result } = await runOnce('submitNeed', caller.uid, input.requestId, async (batch) => {
      const ref = db().collection(collections.needs).doc();
      const { need, needPrivate } = needDocumentsOf(input, regionFieldsOf(caller.region));
      batch.create(ref, {
        ...need,
        submittedBy: caller.uid,
        submittedRole: caller.role,
        submittedAt: FieldValue.serverTimestamp(),
        updatedAt: FieldValue.serverTimestamp(),
      });
      batch.create(db().collection(collections.needsPrivate).doc(ref.id), {
        ...needPrivate,
        villageCode: caller.region,
      });
      for (const photo of photos) batch.update(photo.ref, { needId: ref.id });
      return { needId: ref.id, status: need.status };
    });
    logs.needMoved('submitNeed', result.needId, caller.region, null, 'submitted', caller.uid);
    return result;
  },
});
