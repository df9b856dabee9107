import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import {
  certificateVerdict,
  revocationReasons,
  serialSchema,
  typedSerialSchema,
  type CertificateRecord,
} from '../domain/certificate';
import { requestIdSchema, docIdSchema } from '../domain/validation/common';
import { untypedCallable, deny, untypedPublicCallable } from '../lib/callable';
import { logs } from '../logs';
import { certificateSigningKey } from '../params';
import { collections, db } from '../services/db';
import { objectStore } from '../services/objectStore';
import { retryOnConflict } from '../services/needs';
import { runOnce } from '../services/requests';
import { refundIn } from '../services/settlement';
import { certificateRevocationsCollection, earnsCertificate } from './issueCertificate';

/** Download links last this long: enough to save the file, too short to pass around. */
const fileLinkTtlMs = 10 * 60_000;

export const verifyCertificateInput = z.strictObject({ serial: typedSerialSchema });

/**
 * What an anonymous verifier is told of a certificate: what the paper says (donor and unit as
 * printed, the household masked, the village's name, the gift, the date, the serial) and nothing
 * more — not the donation or need ids, which may carry the village's division code.
 */
function shownRecord(record: CertificateRecord) {
  return {
    serial: record.serial,
    donorName: record.donorName,
    ...(record.donorUnit ? { donorUnit: record.donorUnit } : {}),
    householdMasked: record.householdMasked,
    villageName: record.villageName,
    gift: record.gift,
    issuedAt: record.issuedAt,
  };
}

/**
 * The public verification page behind a certificate's QR code: anyone, signed in or not, learns
 * whether the record stored under the serial is genuine (its signature holds, it is revoked
 * nowhere and its gift still stands), revoked (with the reason and date), or tampered (then
 * nothing of it is shown). A serial typed from paper is read as Crockford base-32 allows.
 */
export const verifyCertificate = untypedPublicCallable({
  name: 'verifyCertificate',
  input: verifyCertificateInput,
  secrets: [certificateSigningKey],
  handler: async ({ serial }) => {
    const [stored, revocationRecord] = await db().getAll(
      db().collection(collections.certificates).doc(serial),
      db().collection(certificateRevocationsCollection).doc(serial),
    );
    if (!stored?.exists) throw new HttpsError('not-found', '未找到该证书编号');
    // The donation the record names; read by the record's id, so a tampered record is refused
    // by its signature before what is read here counts.
    const donationId = docIdSchema.safeParse(stored.get('record.donationId'));
    const donation = donationId.success
      ? await db().collection(collections.donations).doc(donationId.data).get()
      : undefined;
    const verdict = certificateVerdict(
      serial,
      {
        record: stored.get('record'),
        signature: stored.get('signature'),
        revocation: stored.get('revocation'),
        revocationSignature: stored.get('revocationSignature'),
        revocationRecord: revocationRecord?.exists
          ? {
              revocation: revocationRecord.get('revocation'),
              signature: revocationRecord.get('signature'),
            }
          : undefined,
        donation: donation?.exists
          ? {
              earnsCertificate: earnsCertificate(donation.data() as FirebaseFirestore.DocumentData),
              refundReason: donation.get('refundReason'),
              changedAt: (donation.updateTime ?? stored.updateTime)?.toDate().toISOString() ?? '',
            }
          : undefined,
      },
      certificateSigningKey.value(),
    );
    logs.certificateVerified(serial, verdict.status);
    if (verdict.status === 'tampered') return verdict;
    const previewUrl = await objectStore().signedReadUrl(
      String(stored.get('pngPath')),
      fileLinkTtlMs,
    );
    return { ...verdict, record: shownRecord(verdict.record), previewUrl };
  },
});

export const getCertificateFilesInput = z.strictObject({ serial: serialSchema });

/** A donor's own certificate: short-lived links to the PDF and the PNG preview. */
export const getCertificateFiles = untypedCallable({
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
export const refundDonation = untypedCallable({
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
