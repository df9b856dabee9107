/**
 * Every structured log event the functions emit, one small function each. Ids, codes and counts
 * only: never a request body, a name, an ID number, a bank account or a photo's metadata.
 */
import { logger } from 'firebase-functions';

/** Frames V8 writes: `    at fn (file:line:col)`, `    at async fn (…)`, `    at file:line:col`. */
const stackFrame = /^ {4}at \S/;

/**
 * What may be logged of an unexpected error: its class, its gRPC or Node code and its stack frames.
 * Never its message: `error.stack` begins with `Name: message`, and a message (of Firestore, of a
 * library, of our own code) may quote a value of the request — a name, an ID number. The message
 * may span several lines, so only lines shaped like V8's frames are kept, and the stack begins
 * with the class alone (`TypeError` and its frames, as V8 prints an error without a message). The
 * field is `stack_trace`, the one Error Reporting looks at first, so these entries are grouped
 * there by where they were thrown.
 */
export function errorFields(error: unknown): {
  errorName?: string;
  errorCode?: unknown;
  stack_trace?: string;
} {
  if (typeof error !== 'object' || error === null) return { errorName: typeof error };
  const { name, code, stack } = error as { name?: unknown; code?: unknown; stack?: unknown };
  const errorName = typeof name === 'string' ? name : undefined;
  const errorCode = typeof code === 'string' || typeof code === 'number' ? code : undefined;
  const frames =
    typeof stack === 'string'
      ? framesOf(stack, String((error as { message?: unknown }).message ?? ''))
      : [];
  return {
    errorName,
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(frames.length > 0 ? { stack_trace: [errorName ?? 'Error', ...frames].join('\n') } : {}),
  };
}

/**
 * The frame lines of a stack, its message removed first (a line of the message shaped like a
 * frame must not pass for one), capped: a deep recursion's stack is not worth a huge entry.
 */
function framesOf(stack: string, message: string): string[] {
  const header = stack.indexOf(`: ${message}\n`);
  const rest = message !== '' && header >= 0 ? stack.slice(header + message.length + 2) : stack;
  return rest
    .split('\n')
    .filter((line) => stackFrame.test(line))
    .slice(0, maxFrames);
}

const maxFrames = 50;

export const logs = {
  callableRejected(fn: string, code: string, uid: string | undefined, paths: string[] = []) {
    logger.warn('callable rejected', { event: 'callable_rejected', fn, code, uid, paths });
  },
  callableFailed(fn: string, uid: string | undefined, error: unknown) {
    logger.error('callable failed', { event: 'callable_failed', fn, uid, ...errorFields(error) });
  },
  /** A stored document that does not match its schema: ops repair it, the read failed. */
  storedDocumentInvalid(collection: string, documentId: string, issues: string[]) {
    logger.error('stored document does not match its schema', {
      event: 'stored_document_invalid',
      collection,
      documentId,
      issues,
    });
  },
  /** A raw request refused before the SDK decoded it: its body is never logged. */
  callableMalformed(fn: string, code: string) {
    logger.warn('callable request malformed', { event: 'callable_malformed', fn, code });
  },
  callableReplayed(fn: string, uid: string) {
    logger.info('callable replayed a stored result', { event: 'callable_replayed', fn, uid });
  },
  staleClaims(fn: string, uid: string) {
    logger.warn('token claims no longer match the staff record', {
      event: 'stale_claims',
      fn,
      uid,
    });
  },
  householdRegistered(householdId: string, villageCode: string, uid: string) {
    logger.info('household registered', {
      event: 'household_registered',
      householdId,
      villageCode,
      uid,
    });
  },
  triggerDuplicate(fn: string, eventId: string) {
    logger.info('duplicate event ignored', { event: 'trigger_duplicate', fn, eventId });
  },
  villageStatsMoved(fn: string, villageCode: string, deltas: Record<string, number>) {
    logger.info('village figures moved', { event: 'village_stats_moved', fn, villageCode, deltas });
  },
  revealGranted(uid: string, resource: string, field: string) {
    logger.info('sensitive value revealed', { event: 'reveal_granted', uid, resource, field });
  },
  revealDenied(uid: string, resource: string, field: string) {
    logger.warn('sensitive value reveal denied', { event: 'reveal_denied', uid, resource, field });
  },
  /** getTransferAccount: the household's account shown to a transfer pledge's donor, or not. */
  transferAccountShown(uid: string, donationId: string, outcome: string) {
    const log = outcome === 'granted' ? logger.info : logger.warn;
    log('transfer account requested', {
      event: 'transfer_account',
      uid,
      donationId,
      outcome,
    });
  },
  /** recordTransferArrival: `outcome` received | repeated | exception (with its kind). */
  transferArrivalRecorded(
    uid: string,
    donationId: string,
    amountFen: number,
    outcome: string,
    kind?: string,
  ) {
    logger.info('transfer arrival recorded', {
      event: 'transfer_arrival',
      uid,
      donationId,
      amountFen,
      outcome,
      ...(kind ? { kind } : {}),
    });
  },
  staffAppointed(by: string, uid: string, role: string, region: string) {
    logger.info('staff appointed', { event: 'staff_appointed', by, uid, role, region });
  },
  /** `householdsReleased`: a removed helper's households, back to 未分配帮扶人. */
  staffRemoved(by: string, uid: string, role: string, region: string, householdsReleased: number) {
    logger.info('staff removed', {
      event: 'staff_removed',
      by,
      uid,
      role,
      region,
      householdsReleased,
    });
  },
  /** A household's 帮扶责任人 set (`helperUid` null: cleared). */
  helperAssigned(by: string, householdId: string, helperUid: string | null) {
    logger.info('helper assigned', { event: 'helper_assigned', by, householdId, helperUid });
  },
  /** The 帮扶责任人 column of an import: households assigned, rows left unassigned. */
  rosterHelpersMatched(villageCode: string, assigned: number, unknown: number, ambiguous: number) {
    logger.info('roster helpers matched', {
      event: 'roster_helpers_matched',
      villageCode,
      assigned,
      unknown,
      ambiguous,
    });
  },
  rollupRan(villages: number, writes: number, ms: number) {
    logger.info('rates rolled up', { event: 'rollup_ran', villages, writes, ms });
  },
  /** An ops alert: a kept figure differed from a recount from source. */
  ratesDrift(villageCode: string, drift: Record<string, number>) {
    logger.error('rates drift repaired', { event: 'rates_drift', villageCode, drift });
  },
  ratesRepaired(regionCode: string, villages: number, drifted: number) {
    logger.info('rates repair finished', {
      event: 'rates_repaired',
      regionCode,
      villages,
      drifted,
    });
  },
  snapshotTaken(regions: number) {
    logger.info('rates snapshot taken', { event: 'rates_snapshot', regions });
  },
  needMoved(
    fn: string,
    needId: string,
    villageCode: string,
    from: string | null,
    to: string,
    uid: string,
  ) {
    logger.info('need moved', { event: 'need_moved', fn, needId, villageCode, from, to, uid });
  },
  needRevalidated(needId: string, status: string | undefined, problems: string[]) {
    // Problem codes are `path:code` strings: field names and codes, never values.
    logger.warn('need re-validated', { event: 'need_revalidated', needId, status, problems });
  },
  rosterImported(
    villageCode: string,
    uid: string,
    created: number,
    updated: number,
    leftRoster: number,
  ) {
    logger.info('roster imported', {
      event: 'roster_imported',
      villageCode,
      uid,
      created,
      updated,
      leftRoster,
    });
  },
  evidencePhotoUploaded(photoId: string, villageCode: string, uid: string, bytes: number) {
    logger.info('evidence photo uploaded', {
      event: 'evidence_photo_uploaded',
      photoId,
      villageCode,
      uid,
      bytes,
    });
  },
  evidencePhotoProcessed(photoId: string, ms: number, inputBytes: number, outputBytes: number) {
    logger.info('evidence photo processed', {
      event: 'evidence_photo_processed',
      photoId,
      ms,
      inputBytes,
      outputBytes,
    });
  },
  evidencePhotoQuarantined(photoId: string, reason: string) {
    logger.warn('evidence photo quarantined', {
      event: 'evidence_photo_quarantined',
      photoId,
      reason,
    });
  },
  evidencePhotoAccessed(uid: string, role: string, photoId: string) {
    logger.info('evidence photo URL issued', {
      event: 'evidence_photo_accessed',
      uid,
      role,
      photoId,
    });
  },
  revalidationOscillation(needId: string, status: string) {
    logger.error('need re-validation does not settle', {
      event: 'revalidation_oscillation',
      needId,
      status,
    });
  },
  donationMade(donationId: string, needId: string, uid: string, amountFen: number) {
    logger.info('donation made', { event: 'donation_made', donationId, needId, uid, amountFen });
  },
  needFunded(needId: string, raisedFen: number, acceptedDonations: number, writes: number) {
    logger.info('need funding settled', {
      event: 'need_funded',
      needId,
      raisedFen,
      acceptedDonations,
      writes,
    });
  },
  /** `missingGlyphs` > 0 means a name printed a box: an ops alert to ship a wider font. */
  certificateRendered(
    serial: string,
    ms: number,
    pdfBytes: number,
    pngBytes: number,
    missingGlyphs: number,
  ) {
    const log = missingGlyphs > 0 ? logger.warn : logger.info;
    log('certificate rendered', {
      event: 'certificate_rendered',
      serial,
      ms,
      pdfBytes,
      pngBytes,
      missingGlyphs,
    });
  },
  certificateIssued(serial: string, donationId: string, uid: string) {
    logger.info('certificate issued', { event: 'certificate_issued', serial, donationId, uid });
  },
  /**
   * An ops alert: a donation that earned a certificate did not get one. `reason` is a code
   * (`record_invalid`, `need_missing`, `payment_unproven`, `fonts_missing`, `error`); `missing` names what was not
   * found (a document or file path), `fields` the record's fields that were refused (names, not
   * values); `retrying` false means the trigger gave up on it.
   */
  certificateFailed(
    donationId: string,
    reason: string,
    detail: {
      missing?: string;
      fields?: string;
      errorName?: string;
      errorCode?: unknown;
      stack_trace?: string;
      retrying: boolean;
    },
  ) {
    logger.error('certificate not issued', {
      event: 'certificate_failed',
      donationId,
      reason,
      ...detail,
    });
  },
  certificateRevoked(serial: string, reason: string) {
    logger.warn('certificate revoked', { event: 'certificate_revoked', serial, reason });
  },
  /** `verdict` tampered is an ops alert: a stored record no longer matches its signature. */
  certificateVerified(serial: string, verdict: string) {
    const log = verdict === 'tampered' ? logger.error : logger.info;
    log('certificate verified', { event: 'certificate_verified', serial, verdict });
  },
  donorProfileSaved(uid: string, kind: string) {
    logger.info('donor profile saved', { event: 'donor_profile_saved', uid, kind });
  },
  donorRegistryExported(uid: string, regionCode: string, rows: number, fullPhones: boolean) {
    logger.info('donor registry exported', {
      event: 'donor_registry_exported',
      uid,
      regionCode,
      rows,
      fullPhones,
    });
  },
  goodsPledged(donationId: string, needId: string, uid: string, items: number) {
    logger.info('goods pledged', { event: 'goods_pledged', donationId, needId, uid, items });
  },
  goodsSettled(needId: string, writes: number, expired: number) {
    logger.info('goods pledges settled', { event: 'goods_settled', needId, writes, expired });
  },
  /** A move of 建档立卡 identification committed, by the callable that made it. */
  identificationStep(fn: string, roundId: string, villageCode: string, uid: string) {
    logger.info('identification step', {
      event: 'identification_step',
      fn,
      roundId,
      villageCode,
      uid,
    });
  },
  /**
   * An application or an approval refused for an ID number already on a roster or another open
   * application (拆户、分户、空挂户): how many, by code; never the numbers.
   */
  identificationIdConflict(fn: string, villageCode: string, codes: string[]) {
    logger.warn('identification id conflict', {
      event: 'identification_id_conflict',
      fn,
      villageCode,
      codes,
    });
  },
  /** A home visit that walked the 《贫困户信息表》: how many corrections, whether all three confirmed. */
  sheetVisitRecorded(householdId: string, uid: string, changes: number, completed: boolean) {
    logger.info('sheet visit recorded', {
      event: 'sheet_visit_recorded',
      householdId,
      uid,
      changes,
      completed,
    });
  },
  homeVisitRecorded(householdId: string, villageCode: string, uid: string, completed: boolean) {
    logger.info('home visit recorded', {
      event: 'home_visit_recorded',
      householdId,
      villageCode,
      uid,
      completed,
    });
  },
  /** The ids a refused notification claims are unproven: logged only when shaped like ids. */
  paymentNotificationRefused(
    provider: string,
    reason: string,
    claimed: { outTradeNo?: unknown; providerTradeNo?: unknown; notificationId?: unknown },
  ) {
    const idOrNothing = (value: unknown) =>
      typeof value === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(value) ? value : undefined;
    logger.warn('payment notification refused', {
      event: 'payment_notification_refused',
      provider,
      reason,
      claimedOutTradeNo: idOrNothing(claimed.outTradeNo),
      claimedProviderTradeNo: idOrNothing(claimed.providerTradeNo),
      claimedNotificationId: idOrNothing(claimed.notificationId),
    });
  },
  paymentReceived(
    provider: string,
    providerTradeNo: string,
    outTradeNo: string,
    amountFen: number,
  ) {
    logger.info('payment received', {
      event: 'payment_received',
      provider,
      providerTradeNo,
      outTradeNo,
      amountFen,
    });
  },
  paymentNotificationRepeated(provider: string, providerTradeNo: string) {
    logger.info('payment notification repeated', {
      event: 'payment_notification_repeated',
      provider,
      providerTradeNo,
    });
  },
  paymentNotificationNotPaid(provider: string, providerTradeNo: string, status: string) {
    logger.info('payment notification without payment', {
      event: 'payment_notification_not_paid',
      provider,
      providerTradeNo,
      status,
    });
  },
  paymentNotificationFailed(provider: string, error: unknown) {
    logger.error('payment notification failed', {
      event: 'payment_notification_failed',
      provider,
      ...errorFields(error),
    });
  },
  paymentStarted(provider: string, donationId: string, uid: string) {
    logger.info('payment started', { event: 'payment_started', provider, donationId, uid });
  },
  /** A pledge's money arrived: the donation moved pledged → received, with the need's figures. */
  donationReceived(donationId: string, needId: string, amountFen: number, via: string) {
    logger.info('donation received', {
      event: 'donation_received',
      donationId,
      needId,
      amountFen,
      via,
    });
  },
  donationLapsed(donationId: string, needId: string, amountFen: number) {
    logger.info('pledge lapsed', { event: 'donation_lapsed', donationId, needId, amountFen });
  },
  /**
   * A proven payment that is not the receipt of a pledge (another amount, a pledge lapsed or
   * refunded, an order we never opened): money is at the provider that no gift accounts for.
   * ERROR: an ops alert, to refund or reconcile by hand.
   */
  paymentException(
    provider: string,
    kind: string,
    providerTradeNo: string,
    outTradeNo: string,
    amountFen: number,
  ) {
    logger.error('payment exception', {
      event: 'payment_exception',
      provider,
      kind,
      providerTradeNo,
      outTradeNo,
      amountFen,
    });
  },
  /** A reconciliation found an invariant broken: an ops alert, with the ids that break it. */
  reconciliationBroken(invariant: string, regionCode: string, ids: readonly string[]) {
    logger.error('reconciliation invariant broken', {
      event: 'reconciliation_broken',
      invariant,
      regionCode,
      count: ids.length,
      ids: ids.slice(0, 50),
    });
  },
  paymentRefunded(provider: string, donationId: string, refundedFen: number, moneyMoved: boolean) {
    logger.info('payment refunded', {
      event: 'payment_refunded',
      provider,
      donationId,
      refundedFen,
      moneyMoved,
    });
  },
  paymentsReconciled(checked: number, received: number, failed: number) {
    logger.info('payments reconciled', { event: 'payments_reconciled', checked, received, failed });
  },
  pledgesLapsed(checked: number, lapsed: number, received: number, failed: number) {
    logger.info('pledges lapsed', { event: 'pledges_lapsed', checked, lapsed, received, failed });
  },
  health(ok: boolean, checks: Record<string, boolean>) {
    logger.info('health check', { event: 'health', ok, checks });
  },
};
