/**
 * Signing and verifying certificate records: HMAC-SHA256 with the `CERTIFICATE_SIGNING_KEY`
 * secret over {@link canonicalRecord}, so that a change to any field — a digit of the amount, a
 * character of a name, the serial — makes the signature fail.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { canonicalRecord, certificateRecordSchema, type CertificateRecord } from './record';

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
  if (!parsed.success || !signatureSchema.safeParse(signature).success) return false;
  const expected = Buffer.from(mac(parsed.data, key), 'ascii');
  const given = Buffer.from(signature as string, 'ascii');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Why a certificate was revoked: the donation was refunded, or the need was found false. */
export const revocationReasons = ['donation_refunded', 'need_found_false'] as const;
export type RevocationReason = (typeof revocationReasons)[number];

/**
 * A revocation, stored by the caller apart from the record (in the certificate's status document,
 * written only by the platform). It is not signed: it comes after issue, and it is trusted as
 * much as the storage that holds it.
 */
export const revocationSchema = z.strictObject({
  reason: z.enum(revocationReasons),
  revokedAt: z.iso.datetime(),
});
export type Revocation = z.output<typeof revocationSchema>;

/**
 * What the public verification endpoint reports for a serial it found:
 * - `tampered` — the stored record does not match its signature, is not a valid record, or is
 *   stored under another serial than the one asked for: nothing it says can be trusted, whatever
 *   its revocation status (the endpoint shows the warning, not the contents);
 * - `revoked` — the record is genuine but the platform has since withdrawn it (donation refunded,
 *   need found false); the record is shown with the reason and date;
 * - `genuine` — signed by the platform, not revoked; the record is shown.
 * A serial with no stored record is the caller's `not-found`.
 */
export type CertificateVerdict =
  | { status: 'tampered' }
  | { status: 'revoked'; record: CertificateRecord; revocation: Revocation }
  | { status: 'genuine'; record: CertificateRecord };

/** The verdict on a stored certificate looked up by `serial`; see {@link CertificateVerdict}. */
export function certificateVerdict(
  serial: string,
  stored: { record: unknown; signature: unknown; revocation?: unknown },
  key: string | Uint8Array,
): CertificateVerdict {
  if (!verifyCertificate(stored.record, stored.signature, key)) return { status: 'tampered' };
  const record = certificateRecordSchema.parse(stored.record);
  if (record.serial !== serial) return { status: 'tampered' };
  if (stored.revocation === undefined || stored.revocation === null) {
    return { status: 'genuine', record };
  }
  const revocation = revocationSchema.safeParse(stored.revocation);
  // A revocation that cannot be read still means someone revoked it: never report it genuine.
  if (!revocation.success) return { status: 'tampered' };
  return { status: 'revoked', record, revocation: revocation.data };
}
