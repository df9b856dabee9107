import { createHash } from 'node:crypto';
import { FieldValue } from 'firebase-admin/firestore';
import type { RosterHelperProblem, RosterImportDone } from '../contract/households';
import {
  householdDocs,
  householdPrivateDocs,
  rosterImportDocs,
  staffDocs,
} from '../data/households';
import { nameTokensOf } from '../domain/householdSearch';
import { regionFieldsOf } from '../domain/regions';
import { matchHelper, type HelperMatch } from '../domain/roster/helpers';
import { parseRoster } from '../domain/roster/parse';
import type { RosterHousehold } from '../domain/roster/result';
import { callable } from '../lib/callable';
import { logs } from '../logs';
import { collections, db } from '../services/db';

/** Firestore takes at most 500 writes in one batch. */
const batchLimit = 450;

type Write = { path: string; data: Record<string, unknown>; merge: boolean };

function householdFields(row: RosterHousehold) {
  return {
    nameTokens: nameTokensOf(row.headName),
    headName: row.headName,
    idLast4: row.idLast4,
    address: row.address,
    members: row.members,
    causes: row.causes,
    annualIncomeFen: row.annualIncomeFen,
    status: row.status,
    outYear: row.outYear,
    cardColour: row.cardColour,
    rosterHelperName: row.helperName,
    onRoster: true,
  };
}

/**
 * The helper fields a row writes. Only a helper matched to exactly one active helper of the
 * village is written, and only when it differs from the one assigned: a blank, unknown or
 * ambiguous name leaves a manual assignment (assignHelper) as it is, and a file naming another
 * matching helper reassigns, as the village's newest roster says.
 */
function helperFields(match: HelperMatch, current: string | null, importer: string) {
  if (match.kind !== 'assigned' || match.uid === current) return {};
  return {
    helperUid: match.uid,
    // With helperUid, never alone: an assignHelper committed after this import read the household
    // must not be left with `assigned` saying otherwise (domain/householdSearch).
    assigned: true,
    helperName: match.name,
    helperAssignedBy: importer,
    helperAssignedAt: FieldValue.serverTimestamp(),
  };
}

/**
 * Imports a village's 建档立卡 roster (CSV or XLSX, as the national system exports it). A file
 * with any refused row imports nothing and answers the row-by-row report. An accepted file
 * updates the village's households matched by ID number and adds new ones; only when the cadre
 * says the file is the whole roster (`mode: 'full'`) does it also take off the roster those the
 * file no longer lists (yearly adjustment: 脱贫则出，返贫再进). A dry run answers the same counts
 * without writing, so the page can name how many would leave before the cadre confirms.
 *
 * Nothing is half-imported: a village that fits one batch is written atomically; a larger one is
 * written in batches under an import record, with deterministic document ids and idempotent
 * writes, so a retry with the same request id finishes the same import.
 */
export const importRoster = callable({
  name: 'importRoster',
  roles: ['village_admin'],
  memory: '512MiB',
  handler: async ({ requestId, format, dataBase64, latestExitYear, mode, dryRun }, caller) => {
    const villageCode = caller.region;
    const recordRef = rosterImportDocs().doc(`${caller.uid}_${requestId}`);
    const record = dryRun ? undefined : (await recordRef.get()).data();
    if (record?.status === 'done') return record.result;

    const parsed = await parseRoster(
      { kind: format, data: Buffer.from(dataBase64, 'base64') },
      { latestYear: latestExitYear },
    );
    if (!parsed.ok) {
      return {
        ok: false as const,
        report: parsed.report,
        fileProblems: parsed.fileProblems,
        accepted: parsed.accepted,
        refused: parsed.refused,
      };
    }

    const [existing, stored, helpers, onRoster] = await Promise.all([
      householdPrivateDocs().where('villageCode', '==', villageCode).get(),
      householdDocs().where('villageCode', '==', villageCode).get(),
      // A village has a few helpers: filtered here, so the query needs no composite index.
      staffDocs().where('regionCode', '==', villageCode).get(),
      mode === 'full'
        ? db()
            .collection(collections.households)
            .where('villageCode', '==', villageCode)
            .where('onRoster', '==', true)
            .select()
            .get()
        : null,
    ]);
    const idByNumber = new Map(existing.docs.map((doc) => [doc.data().idNumber, doc.id]));
    const storedOf = new Map(stored.docs.map((doc) => [doc.id, doc.data()]));
    const villageHelpers = helpers.docs
      .map((doc) => ({ uid: doc.id, ...doc.data() }))
      .filter((staff) => staff.role === 'helper');
    let helpersAssigned = 0;
    const helperProblems: RosterHelperProblem[] = [];
    const writes: Write[] = [];
    let created = 0;
    let updated = 0;
    const listed = new Set<string>();
    for (const row of parsed.rows) {
      const known = idByNumber.get(row.idNumber);
      const id =
        known ??
        `h${createHash('sha256').update(`${requestId}\n${row.idNumber}`).digest('hex').slice(0, 20)}`;
      listed.add(id);
      const match = matchHelper(
        { name: row.helperName, phone: row.helperPhone ?? null },
        villageHelpers,
      );
      if (match.kind === 'assigned') helpersAssigned++;
      else if (match.kind !== 'none') helperProblems.push({ row: row.row, code: match.kind });
      const household = known ? storedOf.get(known) : undefined;
      const current = household?.helperUid ?? null;
      if (known) {
        updated++;
        writes.push({
          path: `${collections.households}/${id}`,
          data: {
            ...householdFields(row),
            // A document written before the search fields gets `assigned` from what was read.
            ...(household?.assigned === undefined ? { assigned: Boolean(current) } : {}),
            ...helperFields(match, current, caller.uid),
          },
          merge: true,
        });
      } else {
        created++;
        writes.push({
          path: `${collections.households}/${id}`,
          data: {
            ...regionFieldsOf(villageCode),
            ...householdFields(row),
            helperUid: null,
            assigned: false,
            helperName: null,
            ...helperFields(match, null, caller.uid),
            registered: false,
          },
          merge: false,
        });
        writes.push({
          path: `${collections.householdsPrivate}/${id}`,
          data: { idNumber: row.idNumber, villageCode },
          merge: false,
        });
      }
    }
    let leftRoster = 0;
    // Only households still on the roster leave it: one already off is not counted again.
    for (const doc of onRoster?.docs ?? []) {
      if (listed.has(doc.id)) continue;
      leftRoster++;
      writes.push({
        path: `${collections.households}/${doc.id}`,
        data: { onRoster: false },
        merge: true,
      });
    }
    const result: RosterImportDone = {
      ok: true,
      report: parsed.report,
      accepted: parsed.accepted,
      refused: 0,
      mode,
      dryRun,
      created,
      updated,
      leftRoster,
      helpersAssigned,
      helperProblems,
    };
    if (dryRun) return result;

    const stamp = { importedBy: caller.uid, importedAt: FieldValue.serverTimestamp() };
    const addTo = (batch: FirebaseFirestore.WriteBatch, write: Write) =>
      batch.set(
        db().doc(write.path),
        write.path.startsWith(`${collections.households}/`)
          ? { ...write.data, ...stamp }
          : write.data,
        { merge: write.merge },
      );
    if (writes.length <= batchLimit) {
      const batch = db().batch();
      writes.forEach((write) => addTo(batch, write));
      batch.set(recordRef, {
        status: 'done',
        villageCode,
        result,
        at: FieldValue.serverTimestamp(),
      });
      await batch.commit();
    } else {
      await recordRef.set({
        status: 'applying',
        villageCode,
        writes: writes.length,
        at: FieldValue.serverTimestamp(),
      });
      for (let i = 0; i < writes.length; i += batchLimit) {
        const batch = db().batch();
        writes.slice(i, i + batchLimit).forEach((write) => addTo(batch, write));
        await batch.commit();
      }
      await recordRef.set({
        status: 'done',
        villageCode,
        result,
        at: FieldValue.serverTimestamp(),
      });
    }
    logs.rosterImported(villageCode, caller.uid, created, updated, leftRoster);
    logs.rosterHelpersMatched(
      villageCode,
      helpersAssigned,
      helperProblems.filter((problem) => problem.code === 'helper_unknown').length,
      helperProblems.filter((problem) => problem.code === 'helper_ambiguous').length,
    );
    return result;
  },
});
