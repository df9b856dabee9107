import { createHash } from 'node:crypto';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { fileChangeDocs, householdFilePrivateDocs, sheetVisitDocs } from '../../data/householdFile';
import { homeVisitDocs, householdPrivateDocs, staffDocs } from '../../data/households';
import { afterVisit, campaignYearOf } from '../../domain/homeVisits';
import {
  confirmationParties,
  personOfIdNumber,
  sheetChanges,
  type ConfirmationParty,
  type InformationSheet,
} from '../../domain/householdFile';
import { regionFieldsOf } from '../../domain/regions';
import { roleLabels } from '../../domain/roles';
import type { CallableParsedInput } from '../../contract';
import { callable } from '../../lib/callable';
import { logs } from '../../logs';
import { confirmationPhotos, currentSheet, householdFor } from '../../services/householdFile';
import { createdOrConflict, retryOnConflict, unchanged } from '../../services/needs';
import { objectStore } from '../../services/objectStore';
import { runOnce } from '../../services/requests';

type RecordSheetVisitParsed = CallableParsedInput<'recordSheetVisit'>;

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type SheetMemberInput = RecordSheetVisitParsed['sheet']['members'][number];

/**
 * The corrected sheet's members with their ID numbers: a member the file held is taken from the
 * file by its place (the visit's revision fixes the order), a new one comes with its number. A
 * place named twice or not held, or one number given twice, is refused with its field.
 */
function membersOf(
  members: readonly SheetMemberInput[],
  held: InformationSheet['members'],
  headIdNumber: string | undefined,
): InformationSheet['members'] {
  const issues: Array<{ path: string; code: string }> = [];
  const used = new Set<number>();
  const resolved = members.map((member, index) => {
    const { name, relation, health, education, labour } = member;
    let idNumber: string;
    if ('existing' in member) {
      const kept = held[member.existing];
      if (!kept || used.has(member.existing)) {
        issues.push({ path: `sheet.members.${index}.existing`, code: 'member_unknown' });
      }
      used.add(member.existing);
      idNumber = kept?.idNumber ?? '';
    } else {
      idNumber = member.idNumber;
    }
    return {
      name,
      relation,
      health,
      education,
      labour,
      idNumber,
      ...personOfIdNumber(idNumber),
      idLast4: idNumber.slice(-4),
    };
  });
  resolved.forEach((member, index) => {
    if (
      member.idNumber &&
      resolved.findIndex((other) => other.idNumber === member.idNumber) !== index
    ) {
      issues.push({ path: `sheet.members.${index}.idNumber`, code: 'id_repeated' });
    } else if (member.idNumber === headIdNumber) {
      // The head is the household itself, not one of its other members.
      issues.push({ path: `sheet.members.${index}.idNumber`, code: 'id_is_head' });
    }
  });
  if (issues.length > 0) {
    throw new HttpsError('invalid-argument', '家庭成员有误，请重新打开信息表核对', { issues });
  }
  return resolved;
}

/**
 * 入户核实《贫困户信息表》(seed 004): the helper (or the village administrator) walks the sheet
 * with the household and sends it as corrected. Each difference from the file becomes a change
 * (field, old, new, who, when, which visit), the file takes the corrected sheet, and the three
 * confirmations (household, helper, cadre: a signature drawn on the phone, or a photo of the
 * signed paper) are kept with the visit. The visit names the file's revision it opened: a file
 * corrected meanwhile by another visit is refused, never overwritten. The year's 入户登记 record
 * (the progress table's counts) is updated in the same batch: corrected when this visit changed
 * something, completed when all three confirmed.
 */
export const recordSheetVisit = callable({
  name: 'recordSheetVisit',
  roles: ['village_admin', 'helper'],
  memory: '512MiB',
  handler: async (input, caller) => {
    const { requestId, householdId, visitedOn, baseRevision, confirmations } = input;
    const visitId = createHash('sha256')
      .update(`${caller.uid}\n${requestId}`)
      .digest('hex')
      .slice(0, 20);
    const signatures = confirmationParties.flatMap((party) => {
      const confirmation = confirmations[party];
      if (confirmation.kind !== 'signature') return [];
      const png = Buffer.from(confirmation.pngBase64, 'base64');
      if (!png.subarray(0, 8).equals(pngSignature) || png.length > 200_000) {
        throw new HttpsError('invalid-argument', '签名图片无法读取，请重新签名', {
          issues: [{ path: `confirmations.${party}.pngBase64`, code: 'signature_invalid' }],
        });
      }
      return [{ party, png, path: `signatures/${householdId}/${visitId}/${party}.png` }];
    });
    const photoWanted = confirmationParties.flatMap((party) => {
      const confirmation = confirmations[party];
      return confirmation.kind === 'photo' ? [{ party, photoId: confirmation.photoId }] : [];
    });
    const staff = (await staffDocs().doc(caller.uid).get()).data();
    const byName = staff?.name ?? roleLabels[caller.role];

    // The file or the year's visit record created by a concurrent visit is read again, as any conflict.
    const { result, replayed } = await retryOnConflict(
      () =>
        createdOrConflict(
          runOnce('recordSheetVisit', caller.uid, requestId, async (batch) => {
            const { household } = await householdFor(
              'recordSheetVisit',
              caller,
              householdId,
              'write',
            );
            const before = await currentSheet(householdId, household);
            if (before.revision !== baseRevision) {
              throw new HttpsError(
                'failed-precondition',
                '该户的信息表已被他人更新，请重新打开信息表核对后再提交',
                { reason: 'file_changed', revision: before.revision },
              );
            }
            const after: InformationSheet = {
              members: membersOf(
                input.sheet.members,
                before.sheet.members,
                (await householdPrivateDocs().doc(householdId).get()).data()?.idNumber,
              ),
              living: input.sheet.living,
              income: input.sheet.income,
              causes: input.sheet.causes,
            };
            const changes = sheetChanges(before.sheet, after);
            const photos = await confirmationPhotos(caller, photoWanted);
            // Signatures are written before the batch under the visit's own path: a retry
            // writes the same objects again, and a failed batch leaves nothing that points at them.
            await Promise.all(
              signatures.map(({ png, path }) =>
                objectStore().write(path, png, {
                  contentType: 'image/png',
                  metadata: { householdId, visitId },
                }),
              ),
            );
            const region = regionFieldsOf(household.villageCode);
            const revision = before.revision + 1;
            const fileFields = {
              ...region,
              revision,
              members: after.members.map(({ idNumber: _id, health: _health, ...member }) => member),
              living: after.living,
              income: after.income,
              causes: after.causes,
              updatedAt: FieldValue.serverTimestamp(),
              updatedBy: caller.uid,
            };
            if (before.fileSnapshot.exists) {
              batch.update(before.fileSnapshot.ref, fileFields, unchanged(before.fileSnapshot));
            } else {
              batch.create(before.fileSnapshot.ref, { ...fileFields, handbooks: {} });
            }
            batch.set(householdFilePrivateDocs().doc(householdId), {
              villageCode: household.villageCode,
              members: after.members.map((member) => ({
                idNumber: member.idNumber,
                health: member.health,
              })),
            });
            const year = campaignYearOf(visitedOn);
            const confirmationOf = (party: ConfirmationParty) => {
              const confirmation = confirmations[party];
              if (confirmation.kind === 'signature') {
                return {
                  kind: 'signature' as const,
                  ref: `signatures/${householdId}/${visitId}/${party}.png`,
                };
              }
              if (confirmation.kind === 'photo')
                return { kind: 'photo' as const, ref: confirmation.photoId };
              return { kind: 'none' as const, ref: null };
            };
            batch.create(sheetVisitDocs().doc(visitId), {
              ...region,
              householdId,
              year,
              visitedOn,
              byUid: caller.uid,
              byName,
              changes: changes.length,
              confirmations: {
                household: confirmationOf('household'),
                helper: confirmationOf('helper'),
                cadre: confirmationOf('cadre'),
              },
              revision,
              at: FieldValue.serverTimestamp(),
            });
            for (const photo of photos) {
              batch.update(photo.ref, { sheetVisitId: visitId }, unchanged(photo));
            }
            for (const change of changes) {
              batch.create(fileChangeDocs().doc(), {
                ...region,
                householdId,
                visitId,
                year,
                ...change,
                byUid: caller.uid,
                byName,
                at: FieldValue.serverTimestamp(),
                entered: false,
                enteredAt: null,
                enteredBy: null,
              });
            }
            const visitRef = homeVisitDocs().doc(`${householdId}_${year}`);
            const visitBefore = await visitRef.get();
            const visit = afterVisit(visitBefore.data(), {
              visitorUid: caller.uid,
              corrected: changes.length > 0,
              signedBy: Object.fromEntries(
                confirmationParties.map((party) => [party, confirmations[party].kind !== 'none']),
              ),
            });
            const visitFields = {
              householdId,
              year,
              ...region,
              ...visit,
              lastVisitedOn: visitedOn,
              updatedAt: FieldValue.serverTimestamp(),
            };
            if (visitBefore.exists) batch.update(visitRef, visitFields, unchanged(visitBefore));
            else batch.create(visitRef, visitFields);
            return {
              householdId,
              visitId,
              revision,
              changes: changes.length,
              completed: confirmationParties.every((party) => confirmations[party].kind !== 'none'),
            };
          }),
        ),
      { message: '该户的信息表刚被他人更新，请重新打开后再提交' },
    );
    if (replayed) logs.callableReplayed('recordSheetVisit', caller.uid);
    else logs.sheetVisitRecorded(householdId, caller.uid, result.changes, result.completed);
    return result;
  },
});
