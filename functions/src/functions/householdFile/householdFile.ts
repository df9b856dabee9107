import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { distributionDocs, townshipSettingsDocs } from '../../data/householdFile';
import { staffRoles } from '../../domain/roles';
import { chinaDateOf } from '../../domain/validation/idNumber';
import { callable, deny } from '../../lib/callable';
import { logs } from '../../logs';
import { currentSheet, householdFileOf, householdFor } from '../../services/householdFile';
import { createdOrConflict, retryOnConflict, unchanged } from '../../services/needs';
import { runOnce } from '../../services/requests';
import { regionFieldsOf } from '../../domain/regions';

/**
 * The household's file for a year (seed 003's six parts): to its village's staff and its own
 * helper, and to the offices above for reading. Members' ID numbers are never sent: the sheet is
 * walked by their last four, and a corrected member is sent back whole by the helper who typed it.
 */
export const getHouseholdFile = callable({
  name: 'getHouseholdFile',
  roles: staffRoles,
  handler: async ({ householdId, year }, caller) => {
    const { household } = await householdFor('getHouseholdFile', caller, householdId, 'read');
    return householdFileOf(householdId, household, year ?? Number(chinaDateOf().slice(0, 4)));
  },
});

/**
 * The handbook's parts of a year the helper writes (帮扶计划, 帮扶措施, 帮扶成效), on the file's
 * revision it opened, so two helpers' saves cannot silently overwrite each other.
 */
export const saveHandbook = callable({
  name: 'saveHandbook',
  roles: ['village_admin', 'helper'],
  handler: async (
    { requestId, householdId, year, baseRevision, plan, measures, results },
    caller,
  ) => {
    const { result, replayed } = await retryOnConflict(
      () =>
        runOnce('saveHandbook', caller.uid, requestId, async (batch) => {
          const { household } = await householdFor('saveHandbook', caller, householdId, 'write');
          const current = await currentSheet(householdId, household);
          if (current.revision !== baseRevision) {
            throw new HttpsError(
              'failed-precondition',
              '该户的档案已被他人更新，请重新打开后再保存',
              { reason: 'file_changed', revision: current.revision },
            );
          }
          if (!current.file) {
            throw new HttpsError(
              'failed-precondition',
              '请先入户核实《贫困户信息表》，再填写帮扶手册',
              { reason: 'sheet_missing' },
            );
          }
          const revision = current.revision + 1;
          batch.update(
            current.fileSnapshot.ref,
            {
              revision,
              [`handbooks.${year}`]: { plan, measures, results },
              updatedAt: FieldValue.serverTimestamp(),
              updatedBy: caller.uid,
            },
            unchanged(current.fileSnapshot),
          );
          return { householdId, revision };
        }),
      { message: '该户的档案刚被他人更新，请重新打开后再保存' },
    );
    if (replayed) logs.callableReplayed('saveHandbook', caller.uid);
    return result;
  },
});

/** The township sets the year its contact cards follow (seed 004: the latest adjustment's year). */
export const setCardYear = callable({
  name: 'setCardYear',
  roles: ['township_admin'],
  handler: async ({ townshipCode, cardYear }, caller) => {
    if (townshipCode !== caller.region) deny('setCardYear', caller.uid);
    await townshipSettingsDocs().doc(townshipCode).set({ cardYear }, { merge: true });
    return { townshipCode, cardYear };
  },
});

/** The card and the handbook handed to the household (一户一册一卡's distribution), with the dates. */
export const recordDistribution = callable({
  name: 'recordDistribution',
  roles: ['village_admin', 'helper'],
  handler: async ({ requestId, householdId, year, cardOn, handbookOn }, caller) => {
    const { result, replayed } = await retryOnConflict(() =>
      createdOrConflict(
        runOnce('recordDistribution', caller.uid, requestId, async (batch) => {
          const { household } = await householdFor(
            'recordDistribution',
            caller,
            householdId,
            'write',
          );
          const ref = distributionDocs().doc(`${householdId}_${year}`);
          const snapshot = await ref.get();
          const before = snapshot.data();
          // A date once recorded stays; a later call adds the one still missing.
          const fields = {
            ...regionFieldsOf(household.villageCode),
            householdId,
            year,
            cardOn: before?.cardOn ?? cardOn,
            handbookOn: before?.handbookOn ?? handbookOn,
            recordedBy: caller.uid,
            at: FieldValue.serverTimestamp(),
          };
          if (snapshot.exists) batch.update(ref, fields, unchanged(snapshot));
          else batch.create(ref, fields);
          return { householdId, year, cardOn: fields.cardOn, handbookOn: fields.handbookOn };
        }),
      ),
    );
    if (replayed) logs.callableReplayed('recordDistribution', caller.uid);
    return result;
  },
});
