import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { certificateVerdict, revocationReasons, serialSchema } from '../domain/certificate';
import { requestIdSchema, docIdSchema } from '../domain/validation/common';
import { callable, deny, publicCallable } from '../lib/callable';
import { logs } from '../logs';
import { certificateSigningKey } from '../params';
import { collections, db } from '../services/db';
import { objectStore } from '../services/objectStore';
import { retryOnConflict } from '../services/needs';
import { runOnce } from '../services/requests';
import { refundIn } from '../services/settlement';

/** Download links last this long: enough to save the file, too short to pass around. */
const fileLinkTtlMs = 10 * 60_000;

export const verifyCertificateInput = z.strictObject({
  serial: z
    .string()
    .max(40)
    .transform((raw) => raw.trim().toUpperCase())
    .pipe(serialSchema),
});

/**
 * The public verification page behind a certificate's QR code: anyone, signed in or not, learns
 * whether the record stored under the serial is genuine (its signature holds), revoked (with the
 * reason and date), or tampered (then nothing of it is shown).
 */
export const verifyCertificate = publicCallable({
  name: 'verifyCertificate',
  input: verifyCertificateInput,
  secrets: [certificateSigningKey],
  handler: async ({ serial }) => {
    const stored = await db().collection(collections.certificates).doc(serial).get();
    if (!stored.exists) throw new HttpsError('not-found', '未找到该证书编号');
    const verdict = certificateVerdict(
      serial,
      {
        record: stored.get('record'),
        signature: stored.get('signature'),
        revocation: stored.get('revocation'),
      },
      certificateSigningKey.value(),
    );
    logs.certificateVerified(serial, verdict.status);
    if (verdict.status === 'tampered') return verdict;
    const previewUrl = await objectStore().signedReadUrl(
      String(stored.get('pngPath')),
      fileLinkTtlMs,
    );
    return { ...verdict, previewUrl };
  },
});

export const getCertificateFilesInput = z.strictObject({ serial: serialSchema });

/** A donor's own certificate: short-lived links to the PDF and the PNG preview. */
export const getCertificateFiles = callable({
  name: 'getCertificateFiles',
  input: getCertificateFilesInput,
  roles: ['donor'],
  handler: async ({ serial }, caller) => {
    const stored = await db().collection(collections.certificates).doc(serial).get();
    // Someone else's certificate and no certificate get the same answer.
    if (!stored.exists || stored.get('donorUid') !== caller.uid)
      deny('getCertificateFiles', caller.uid);
    const [pdfUrl, pngUrl] = await Promise.all([
      objectStore().signedReadUrl(String(stored.get('pdfPath')), fileLinkTtlMs),
      objectStore().signedReadUrl(String(stored.get('pngPath')), fileLinkTtlMs),
    ]);
    return { pdfUrl, pngUrl };
  },
});

export const refundDonationInput = z.strictObject({
  requestId: requestIdSchema,
  donationId: docIdSchema,
  reason: z.enum(revocationReasons),
});

/**
 * Ops records that a donation was refunded (returned to the donor, or the need found false): the
 * donation leaves the need's funding at once, in the same batch, and its certificate is revoked.
 * A need found false is taken down.
 */
export const refundDonation = callable({
  name: 'refundDonation',
  input: refundDonationInput,
  roles: ['ops'],
  handler: async ({ requestId, donationId, reason }, caller) => {
    // The need's money and status move in the refund's own batch (services/settlement.ts).
    const { result } = await retryOnConflict(() =>
      runOnce('refundDonation', caller.uid, requestId, (batch) =>
        refundIn(batch, donationId, reason, caller.uid),
      ),
    );
    return result;
  },
});
