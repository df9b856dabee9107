import { FieldValue, type Timestamp } from 'firebase-admin/firestore';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import {
  chinaDateOf,
  renderCertificate,
  serialFor,
  signCertificate,
  type CertificateGift,
  type CertificateRecord,
  type RevocationReason,
} from '../domain/certificate';
import { logs } from '../logs';
import { certificateSigningKey, functionsRegion, publicOrigin } from '../params';
import { collections, db, isAlreadyExists } from '../services/db';
import { objectStore } from '../services/objectStore';

/** Where a certificate's files live: one path per serial, so a re-run rewrites, never adds. */
export function certificatePaths(serial: string) {
  return { pdfPath: `certificates/${serial}.pdf`, pngPath: `certificates/${serial}.png` };
}

type DonationData = FirebaseFirestore.DocumentData;

/** A donation earns its certificate when money is accepted, or goods are delivered. */
function earnsCertificate(donation: DonationData): boolean {
  return (
    (donation.kind === 'money' && donation.status === 'accepted') ||
    (donation.kind === 'goods' && donation.status === 'delivered')
  );
}

function giftOf(donation: DonationData): CertificateGift {
  if (donation.kind === 'money') return { kind: 'money', amountFen: Number(donation.amountFen) };
  const items = donation.items as Array<{ name: string; quantity: number; unit: string }>;
  return {
    kind: 'goods',
    items: items.map(({ name, quantity, unit }) => ({ name, quantity, unit })),
  };
}

/** The day the gift was made (money) or handed over (goods): fixed, so the serial is too. */
function givenOn(donation: DonationData): string {
  const at = (donation.kind === 'goods' ? donation.deliveredAt : donation.madeAt) as
    Timestamp | undefined;
  return chinaDateOf(at?.toDate() ?? new Date());
}

/**
 * Issues exactly one honour certificate (社会扶贫荣誉证书) per accepted money donation or
 * delivered goods donation, and revokes it when the donation is refunded.
 *
 * Exactly once without transactions: the serial is derived from the donation id (a keyed hash),
 * the files' paths from the serial, and the record is stored with `create()` in the same batch
 * that marks the donation — so a second delivery, or two at once, either find the record or fail
 * the precondition, and at worst rewrite identical bytes to the same two objects.
 */
export const issueCertificate = onDocumentWritten(
  {
    document: 'donations/{donationId}',
    region: functionsRegion,
    retry: true,
    memory: '512MiB',
    secrets: [certificateSigningKey],
  },
  async (event) => {
    const donationId = event.params.donationId;
    const donation = event.data?.after.data();
    if (!donation) return;
    if (donation.status === 'refunded') {
      await revoke(donation, (donation.refundReason as RevocationReason) ?? 'donation_refunded');
      return;
    }
    if (!earnsCertificate(donation) || donation.certificateSerial) return;

    const key = certificateSigningKey.value();
    const issuedAt = givenOn(donation);
    const serial = serialFor(donationId, issuedAt, key);
    const certificateRef = db().collection(collections.certificates).doc(serial);
    const donationRef = db().collection(collections.donations).doc(donationId);
    const existing = await certificateRef.get();
    if (existing.exists) {
      // A run that stored the record and died before marking the donation, or a concurrent one.
      if (existing.get('donationId') === donationId) {
        await donationRef.update({ certificateSerial: serial });
      }
      return;
    }
    const record: CertificateRecord = {
      serial,
      donorName: String(donation.donorName),
      ...(donation.donorUnit && donation.donorUnit !== donation.donorName
        ? { donorUnit: String(donation.donorUnit) }
        : {}),
      householdMasked: String(donation.maskedName),
      villageName: String(donation.villageName),
      gift: giftOf(donation),
      issuedAt,
      donationId,
      needId: String(donation.needId),
    };
    const signature = signCertificate(record, key);
    const started = Date.now();
    const rendered = await renderCertificate(record, { origin: publicOrigin.value() });
    logs.certificateRendered(
      serial,
      Date.now() - started,
      rendered.pdf.length,
      rendered.png.length,
      rendered.missingCharacters.length,
    );
    const paths = certificatePaths(serial);
    // Files first: a record is never visible without the files it points to.
    await Promise.all([
      objectStore().write(paths.pdfPath, rendered.pdf, {
        contentType: 'application/pdf',
        metadata: { serial },
      }),
      objectStore().write(paths.pngPath, rendered.png, {
        contentType: 'image/png',
        metadata: { serial },
      }),
    ]);
    const batch = db().batch();
    batch.create(certificateRef, {
      record,
      signature,
      revocation: null,
      donorUid: donation.donorUid,
      donationId,
      ...paths,
      issuedAt: FieldValue.serverTimestamp(),
    });
    batch.update(donationRef, { certificateSerial: serial });
    try {
      await batch.commit();
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      await donationRef.update({ certificateSerial: serial });
      return;
    }
    logs.certificateIssued(serial, donationId, String(donation.donorUid));
  },
);

/** Marks a donation's certificate revoked (once: the first reason and date stand). */
async function revoke(donation: DonationData, reason: RevocationReason): Promise<void> {
  const serial = donation.certificateSerial as string | undefined;
  if (!serial) return;
  const ref = db().collection(collections.certificates).doc(serial);
  const certificate = await ref.get();
  if (!certificate.exists || certificate.get('revocation')) return;
  await ref.update({ revocation: { reason, revokedAt: new Date().toISOString() } });
  logs.certificateRevoked(serial, reason);
}
