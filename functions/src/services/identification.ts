/**
 * What the identification callables share: a round read for a move its stage and the caller's role
 * allow, the step every move appends to the record, the exclusion checks of seed 002 (拆户、分户、
 * 空挂户: one ID number on two applications or on any village's roster), and the rows staff see.
 */
import { createHash } from 'node:crypto';
import { FieldValue, type Timestamp, type WriteBatch } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type {
  ApplicationRow,
  NoticeRow,
  ObjectionRow,
  RoundSummary,
  StepRow,
} from '../contract/identification';
import { getAllOf } from '../data/converter';
import { householdPrivateDocs, regionDocs, staffDocs } from '../data/households';
import {
  applicationDocs,
  applicationPrivateDocs,
  idClaimDocs,
  objectionDocs,
  quotaDocs,
  roundDocs,
  stepDocs,
  type StoredApplication,
  type StoredNotice,
  type StoredObjection,
  type StoredRound,
  type StoredStep,
} from '../data/identification';
import {
  roundMoveOf,
  roundMoves,
  roundStageLabels,
  type IdConflict,
  type RoundAction,
  type StepKind,
} from '../domain/identification';
import { ancestorsOf, isWithin, regionFieldsOf } from '../domain/regions';
import { roleLabels, type Caller } from '../domain/roles';
import { deny } from '../lib/callable';
import { logs } from '../logs';

/** May this caller see the round's village at all (its village, township or county staff)? */
export function canSeeVillage(caller: Caller, villageCode: string): boolean {
  if (caller.role === 'donor') return false;
  if (caller.role === 'ops') return true;
  return isWithin(villageCode, caller.region);
}

/** May this caller act for the village at its level (its own village, township or county)? */
function actsFor(caller: Caller, villageCode: string): boolean {
  if (caller.role === 'village_admin') return caller.region === villageCode;
  if (caller.role === 'township_admin' || caller.role === 'county_admin') {
    return isWithin(villageCode, caller.region);
  }
  return false;
}

/**
 * Reads a round for a move: a round of another region (or none) is denied alike; a move the
 * round's stage does not allow for the caller's role is refused with what the round waits for.
 */
export async function roundForMove(
  fn: string,
  caller: Caller,
  roundId: string,
  action: RoundAction,
) {
  const ref = roundDocs().doc(roundId);
  const snapshot = await ref.get();
  const round = snapshot.data();
  if (!round || !actsFor(caller, round.villageCode)) deny(fn, caller.uid);
  const move = roundMoveOf(action, round.stage, caller.role, round.kind);
  if (!move) {
    throw new HttpsError(
      'failed-precondition',
      `该名单当前处于"${roundStageLabels[round.stage]}"阶段，不能进行此操作`,
      { reason: 'stage', stage: round.stage },
    );
  }
  return { ref, snapshot, round, move };
}

/** The name a step records for its author: the staff record's, or the role's label. */
export async function authorOf(caller: Caller): Promise<{ byName: string; byRole: string }> {
  const staff = (await staffDocs().doc(caller.uid).get()).data();
  return { byName: staff?.name ?? roleLabels[caller.role], byRole: caller.role };
}

export interface StepInput {
  roundId: string;
  villageCode: string;
  applicationId: string | null;
  kind: StepKind;
  author: { byUid: string; byName: string; byRole: string };
  decision?: string | null;
  reasons?: string | null;
  detail?: Record<string, unknown> | null;
}

/**
 * Appends a step to the record in the batch of the move it records: both or neither are written.
 * The callable logs the move once it is committed ({@link logMove}), never a batch that failed.
 */
export function appendStep(batch: WriteBatch, step: StepInput): void {
  batch.create(stepDocs().doc(), {
    ...regionFieldsOf(step.villageCode),
    roundId: step.roundId,
    applicationId: step.applicationId,
    kind: step.kind,
    ...step.author,
    decision: step.decision ?? null,
    reasons: step.reasons ?? null,
    detail: step.detail ?? null,
    at: FieldValue.serverTimestamp(),
  });
}

export interface IdConflictFound {
  idNumber: string;
  code: IdConflict;
  /** The village of the roster or application it was found on (for the reviewer, not the public). */
  villageCode: string;
}

/** The claim document of an ID number: its hash names it, so no number is a document id. */
export function idClaimRef(idNumber: string) {
  return idClaimDocs().doc(createHash('sha256').update(`id-claim\n${idNumber}`).digest('hex'));
}

/**
 * Every ID number of `idNumbers` already on a roster (any village) or claimed by another open
 * application (any village), and any repeated within them. An open application holds a claim per
 * number, created with `create()` in the batch that files it: of two applications racing with one
 * number, the second's batch fails, so the check and the claim cannot be split by a race.
 */
export async function idConflicts(
  idNumbers: readonly string[],
  ownApplicationId?: string,
): Promise<IdConflictFound[]> {
  const found: IdConflictFound[] = [];
  const seen = new Set<string>();
  for (const id of idNumbers) {
    if (seen.has(id)) found.push({ idNumber: id, code: 'id_repeated', villageCode: '' });
    seen.add(id);
  }
  const unique = [...seen];
  const claims = await getAllOf(unique.map(idClaimRef));
  claims.forEach((snapshot, index) => {
    const claim = snapshot.data();
    if (claim && claim.applicationId !== ownApplicationId) {
      found.push({
        idNumber: unique[index] as string,
        code: 'id_on_application',
        villageCode: claim.villageCode,
      });
    }
  });
  for (let i = 0; i < unique.length; i += 30) {
    const onRoster = await householdPrivateDocs()
      .where('idNumber', 'in', unique.slice(i, i + 30))
      .get();
    for (const doc of onRoster.docs) {
      const data = doc.data();
      found.push({ idNumber: data.idNumber, code: 'id_on_roster', villageCode: data.villageCode });
    }
  }
  return found;
}

/**
 * A roster household's own ID on an exit or return is expected: only its other appearances
 * (another village's roster, another open application) are conflicts.
 */
export function conflictsBesides(found: IdConflictFound[], villageCode: string, kind: string) {
  return kind === 'entry'
    ? found
    : found.filter(
        (conflict) => !(conflict.code === 'id_on_roster' && conflict.villageCode === villageCode),
      );
}

/** 省 市 县 乡 村, from the division table; the code when it is not loaded. */
export async function placeNameOf(
  villageCode: string,
): Promise<{ place: string; village: string }> {
  const region = (await regionDocs().doc(villageCode).get()).data();
  if (region?.fullName) return { place: region.fullName, village: region.name };
  const names = await Promise.all(
    [...ancestorsOf(villageCode).reverse(), villageCode].map(
      async (code) => (await regionDocs().doc(code).get()).data()?.name ?? code,
    ),
  );
  return { place: names.join(''), village: names[names.length - 1] ?? villageCode };
}

/** The village's quota of new identifications for the year, or null when none is set. */
export async function villageQuota(villageCode: string, year: number) {
  const ref = quotaDocs().doc(`${villageCode}_${year}`);
  const snapshot = await ref.get();
  return { ref, snapshot, quota: snapshot.data() ?? null };
}

export const isoOf = (value: Timestamp | null | undefined): string =>
  value ? value.toDate().toISOString() : '';

/** What the caller's role may do next with a round at its stage, as a move's action name. */
export function nextActionFor(caller: Caller, round: StoredRound): string | null {
  const move = roundMoves.find(
    (candidate) =>
      candidate.from === round.stage &&
      candidate.role === caller.role &&
      candidate.action !== 'withdraw' &&
      (candidate.kind === undefined || candidate.kind === round.kind),
  );
  return move?.action ?? null;
}

export function roundSummaryOf(
  caller: Caller,
  id: string,
  round: StoredRound,
  counts: { applications: number; listed: number; openObjections: number; quota: number | null },
  villageName: string,
): RoundSummary {
  return {
    id,
    villageCode: round.villageCode,
    villageName,
    year: round.year,
    kind: round.kind,
    stage: round.stage,
    ...counts,
    nextAction: nextActionFor(caller, round),
    updatedAt: isoOf(round.updatedAt),
  };
}

export function applicationRowOf(id: string, application: StoredApplication): ApplicationRow {
  return {
    id,
    roundId: application.roundId,
    kind: application.kind,
    status: application.status,
    headName: application.headName,
    idLast4: application.idLast4,
    members: application.members,
    claimedCause: application.claimedCause,
    housing: application.housing,
    annualIncomeFen: application.annualIncomeFen,
    situation: application.situation,
    appliedOn: application.appliedOn,
    householdId: application.householdId,
    survey: application.survey
      ? {
          visitedOn: application.survey.visitedOn,
          eligible: application.survey.eligible,
          findings: application.survey.findings,
          photoIds: application.survey.photoIds,
        }
      : null,
    appraisal: application.appraisal,
    statusReason: application.statusReason,
  };
}

export function noticeRowOf(id: string, notice: StoredNotice): NoticeRow {
  return {
    id,
    stage: notice.stage,
    opensAt: isoOf(notice.opensAt),
    closesAt: notice.closesAt ? isoOf(notice.closesAt) : null,
    entries: notice.entries.length,
  };
}

export function objectionRowOf(
  id: string,
  objection: StoredObjection,
  headName: string,
): ObjectionRow {
  return {
    id,
    noticeId: objection.noticeId,
    stage: objection.stage,
    applicationId: objection.applicationId,
    headName,
    text: objection.text,
    status: objection.status,
    filedAt: isoOf(objection.filedAt),
    reasons: objection.reasons,
    answeredBy: objection.stage === 'first' ? 'village_admin' : 'township_admin',
  };
}

export function stepRowOf(step: StoredStep): StepRow {
  return {
    kind: step.kind,
    applicationId: step.applicationId,
    byRole: step.byRole,
    byName: step.byName,
    at: isoOf(step.at),
    decision: step.decision,
    reasons: step.reasons,
  };
}

/** The whole record of a round, in the order it was made. */
export async function stepsOf(roundId: string): Promise<StoredStep[]> {
  const snapshot = await stepDocs().where('roundId', '==', roundId).get();
  return snapshot.docs.map((doc) => doc.data()).sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

export async function applicationsOf(roundId: string) {
  const snapshot = await applicationDocs().where('roundId', '==', roundId).get();
  return snapshot.docs;
}

/** A notice's rows, in the appraisal's rank order: full names (the public page masks them). */
export function noticeEntriesOf(
  docs: ReadonlyArray<FirebaseFirestore.QueryDocumentSnapshot<StoredApplication>>,
) {
  return [...docs]
    .sort((a, b) => (a.data().appraisal?.rank ?? 0) - (b.data().appraisal?.rank ?? 0))
    .map((doc) => {
      const application = doc.data();
      return {
        applicationId: doc.id,
        name: application.headName,
        kind: application.kind,
        members: application.members,
        cause: application.claimedCause,
      };
    });
}

/** A notice's window has ended (the 公告 has none). */
export function windowOver(notice: StoredNotice, nowMs = Date.now()): boolean {
  return notice.closesAt === null || notice.closesAt.toMillis() <= nowMs;
}

/** Objections of a notice still waiting for an answer. */
export async function openObjectionsOf(noticeId: string): Promise<number> {
  const snapshot = await objectionDocs().where('noticeId', '==', noticeId).get();
  return snapshot.docs.filter((doc) => doc.data().status === 'open').length;
}

/**
 * Settles an application off the list (not passed, removed): it is no longer open, and its ID
 * numbers may be filed again.
 */
export async function releaseClaims(batch: WriteBatch, applicationId: string): Promise<void> {
  const privateRef = applicationPrivateDocs().doc(applicationId);
  const data = (await privateRef.get()).data();
  batch.update(privateRef, { open: false });
  for (const id of data?.idNumbers ?? []) batch.delete(idClaimRef(id));
}

/** After a move's commit: a replay is logged as one, a move as the step it recorded. */
export function logMove(fn: string, replayed: boolean, uid: string, roundId: string): void {
  if (replayed) logs.callableReplayed(fn, uid);
  else logs.identificationStep(fn, roundId, roundId.slice(0, 12), uid);
}
