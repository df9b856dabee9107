import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import {
  certificateVerdict,
  typedSerialSchema,
  type CertificateRecord,
} from '../domain/certificate';
import { earnsCertificate } from '../domain/donation';
import { docIdSchema } from '../domain/validation/common';
import { untypedPublicCallable } from '../lib/callable';
import { logs } from '../logs';
import { certificateSigningKey } from '../params';
import { fileLinkTtlMs } from '../services/certificates';
import { collections, db } from '../services/db';
import { objectStore } from '../services/objectStore';

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
      db().collection(collections.certificateRevocations).doc(serial),
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
              earnsCertificate: earnsCertificate(donation.data() ?? {}),
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
