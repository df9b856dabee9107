/**
 * Signing and verifying certificate records: HMAC-SHA256 with the `CERTIFICATE_SIGNING_KEY`
 * secret over {@link canonicalRecord}, so that a change to any field — a digit of the amount, a
 * character of a name, the serial — makes the signature fail; and signing revocations, which come
 * after issue and so cannot be part of the record's signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  canonicalRecord,
  certificateRecordSchema,
  serialSchema,
  type CertificateRecord,
} from './record';

/** A signature as stored beside the record: 32 bytes, base64url without padding. */
export const signatureSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** Shorter keys are refused: HMAC's strength is at most the key's entropy. */
export const minKeyBytes = 32;

function keyBytes(key: string | Uint8Array): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (bytes.length < minKeyBytes) {
    throw new Error(`certificate signing key shorter than ${minKeyBytes} bytes`);
  }
  return bytes;
}

function mac(record: CertificateRecord, key: string | Uint8Array): string {
  return createHmac('sha256', keyBytes(key)).update(canonicalRecord(record)).digest('base64url');
}

/** Signs a record (validated first: an invalid record throws a ZodError and is not signed). */
export function signCertificate(
  record: z.input<typeof certificateRecordSchema>,
  key: string | Uint8Array,
): string {
  return mac(certificateRecordSchema.parse(record), key);
}

/**
 * Whether a signature is the one this key gives the record. False, never a throw, for anything
 * read back from storage that is not a valid record or signature. The comparison is of the
 * canonical base64url strings in constant time, so neither a timing difference nor another
 * spelling of the same bytes (base64's spare bits) can be used against it.
 */
export function verifyCertificate(
  record: unknown,
  signature: unknown,
  key: string | Uint8Array,
): boolean {
  const parsed = certificateRecordSchema.safeParse(record);
  const signed = signatureSchema.safeParse(signature);
  if (!parsed.success || !signed.success) return false;
  const expected = Buffer.from(mac(parsed.data, key), 'ascii');
  const given = Buffer.from(signed.data, 'ascii');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Why a certificate was revoked: the donation was refunded, or the need was found false. */
export const revocationReasons = ['donation_refunded', 'need_found_false'] as const;
export type RevocationReason = (typeof revocationReasons)[number];

/** A revocation: why, and when (first reason and date stand; a later one is never written). */
export const revocationSchema = z.strictObject({
  reason: z.enum(revocationReasons),
  revokedAt: z.iso.datetime(),
});
export type Revocation = z.output<typeof revocationSchema>;

// Its own tag: a revocation's bytes can never be read as a certificate record's, or back.
function revocationMac(serial: string, revocation: Revocation, key: string | Uint8Array): string {
  const canonical = `fupin-certificate-revocation/v1\n${JSON.stringify([serial, revocation.reason, revocation.revokedAt])}`;
  return createHmac('sha256', keyBytes(key)).update(canonical).digest('base64url');
}

/**
 * Signs a revocation of the certificate `serial`, over the serial, the reason and the date, so a
 * revocation can neither be forged nor moved to another certificate by anyone without the key.
 */
export function signRevocation(
  serial: string,
  revocation: z.input<typeof revocationSchema>,
  key: string | Uint8Array,
): string {
  return revocationMac(serialSchema.parse(serial), revocationSchema.parse(revocation), key);
}

/** Whether a stored revocation is the platform's, for this serial. False, never a throw. */
export function verifyRevocation(
  serial: string,
  revocation: unknown,
  signature: unknown,
  key: string | Uint8Array,
): boolean {
  const parsed = revocationSchema.safeParse(revocation);
  const signed = signatureSchema.safeParse(signature);
  if (!parsed.success || !signed.success) return false;
  if (!serialSchema.safeParse(serial).success) return false;
  const expected = Buffer.from(revocationMac(serial, parsed.data, key), 'ascii');
  const given = Buffer.from(signed.data, 'ascii');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * What the public verification endpoint reports for a serial it found:
 * - `tampered` — the stored record does not match its signature, is not a valid record, is
 *   stored under another serial than the one asked for, carries a revocation that is not the
 *   platform's, or names a donation that no longer exists: nothing it says can be trusted (the
 *   endpoint shows the warning, not the contents);
 * - `revoked` — the record is genuine but withdrawn: a signed revocation exists in either place
 *   it is kept, or the donation no longer earns a certificate (refunded, and the revocation not
 *   yet written — or erased); shown with the reason and date;
 * - `genuine` — signed by the platform, revoked nowhere, and its donation still accepted (money)
 *   or delivered (goods).
 * A serial with no stored record is the caller's `not-found`.
 */
export type CertificateVerdict =
  | { status: 'tampered' }
  | { status: 'revoked'; record: CertificateRecord; revocation: Revocation }
  | { status: 'genuine'; record: CertificateRecord };

/** A signed revocation as stored: in the append-only record, or on the certificate document. */
export interface StoredRevocation {
  revocation: unknown;
  signature: unknown;
}

/**
 * Everything verification consults. A revocation lives in two places written in one batch — its
 * own append-only record and the certificate document — and the donation itself says whether
 * the gift still stands, so undoing a revocation takes erasing all three consistently: a change
 * to one is seen (see the README's residual threat).
 */
export interface StoredCertificate {
  record: unknown;
  signature: unknown;
  /** `certificateRevocations/{serial}`, undefined when there is none. */
  revocationRecord?: StoredRevocation | undefined;
  /** The revocation kept on the certificate document (null or undefined when none). */
  revocation?: unknown;
  revocationSignature?: unknown;
  /**
   * The donation the record names, as it stands now; undefined when it no longer exists.
   * `refundReason` is the donation's own (unsigned) reason, `changedAt` its last write (ISO).
   */
  donation: { earnsCertificate: boolean; refundReason?: unknown; changedAt: string } | undefined;
}

/** The verdict on a stored certificate looked up by `serial`; see {@link CertificateVerdict}. */
export function certificateVerdict(
  serial: string,
  stored: StoredCertificate,
  key: string | Uint8Array,
): CertificateVerdict {
  if (!verifyCertificate(stored.record, stored.signature, key)) return { status: 'tampered' };
  const record = certificateRecordSchema.parse(stored.record);
  if (record.serial !== serial) return { status: 'tampered' };
  const witnesses: StoredRevocation[] = [];
  if (stored.revocationRecord) witnesses.push(stored.revocationRecord);
  if (stored.revocation !== undefined && stored.revocation !== null) {
    witnesses.push({ revocation: stored.revocation, signature: stored.revocationSignature });
  }
  // A revocation that is not the platform's still means someone meddled: never genuine.
  for (const witness of witnesses) {
    if (!verifyRevocation(serial, witness.revocation, witness.signature, key)) {
      return { status: 'tampered' };
    }
  }
  const signed = witnesses[0];
  if (signed) {
    return { status: 'revoked', record, revocation: revocationSchema.parse(signed.revocation) };
  }
  if (!stored.donation) return { status: 'tampered' };
  if (stored.donation.earnsCertificate) return { status: 'genuine', record };
  // The gift no longer stands and no signed revocation says so: the refund's revocation is on
  // its way, or was erased. Either way the certificate is withdrawn, as the donation says.
  const reason = z.enum(revocationReasons).safeParse(stored.donation.refundReason);
  return {
    status: 'revoked',
    record,
    revocation: {
      reason: reason.success ? reason.data : 'donation_refunded',
      revokedAt: stored.donation.changedAt,
    },
  };
}
