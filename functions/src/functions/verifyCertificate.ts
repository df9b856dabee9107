import { HttpsError } from 'firebase-functions/v2/https';
import type { ShownCertificate } from '../contract/money';
import { certificateDocs, certificateRevocationDocs, donationDocs } from '../data/money';
import { z } from 'zod';
import { certificateVerdict, type CertificateRecord } from '../domain/certificate';
import { earnsCertificate } from '../domain/donation';
import { docIdSchema } from '../domain/validation/common';
import { publicCallable } from '../lib/callable';
import { logs } from '../logs';
import { certificateSigningKey } from '../params';
import { fileLinkTtlMs } from '../services/certificates';
import { objectStore } from '../services/objectStore';

/** Where a stored record names its donation; anything else about the record is the signature's to judge. */
const recordDonationSchema = z.looseObject({ donationId: docIdSchema });

/**
 * What an anonymous verifier is told of a certificate: what the paper says (donor and unit as
 * printed, the household masked, the village's name, the gift, the date, the serial) and nothing
 * more — not the donation or need ids, which may carry the village's division code.
 */
function shownRecord(record: CertificateRecord): ShownCertificate {
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
export const verifyCertificate = publicCallable({
  name: 'verifyCertificate',
  secrets: [certificateSigningKey],
  handler: async ({ serial }) => {
    const [storedSnapshot, revocationSnapshot] = await Promise.all([
      certificateDocs().doc(serial).get(),
      certificateRevocationDocs().doc(serial).get(),
    ]);
    const stored = storedSnapshot.data();
    if (!stored) throw new HttpsError('not-found', '未找到该证书编号');
    const revocationRecord = revocationSnapshot.data();
    // The donation the record names; read by the record's id, so a tampered record is refused
    // by its signature before what is read here counts.
    const named = recordDonationSchema.safeParse(stored.record);
    const donationSnapshot = named.success
      ? await donationDocs().doc(named.data.donationId).get()
      : undefined;
    const donation = donationSnapshot?.data();
    const verdict = certificateVerdict(
      serial,
      {
        record: stored.record,
        signature: stored.signature,
        revocation: stored.revocation,
        revocationSignature: stored.revocationSignature,
        revocationRecord: revocationRecord
          ? { revocation: revocationRecord.revocation, signature: revocationRecord.signature }
          : undefined,
        donation: donation
          ? {
              earnsCertificate: earnsCertificate(donation),
              refundReason: donation.refundReason,
              changedAt:
                (donationSnapshot?.updateTime ?? storedSnapshot.updateTime)
                  ?.toDate()
                  .toISOString() ?? '',
            }
          : undefined,
      },
      certificateSigningKey.value(),
    );
    logs.certificateVerified(serial, verdict.status);
    if (verdict.status === 'tampered') return verdict;
    const previewUrl = await objectStore().signedReadUrl(stored.pngPath, fileLinkTtlMs);
    return { ...verdict, record: shownRecord(verdict.record), previewUrl };
  },
});
