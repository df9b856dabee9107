import { FieldValue } from 'firebase-admin/firestore';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { z, ZodError } from 'zod';
import {
  chinaDateOf,
  FontsMissingError,
  maskedNameSchema,
  renderCertificate,
  revocationReasons,
  serialFor,
  signCertificate,
  signRevocation,
  type CertificateRecord,
  type Revocation,
} from '../domain/certificate';
import { StoredDocumentInvalid } from '../data/converter';
import {
  certificateDocs,
  certificateRevocationDocs,
  donationDocs,
  donationOf,
  type StoredDonation,
} from '../data/money';
import { needDocs } from '../data/needs';
import { paymentReceipts } from '../data/payments';
import { earnsCertificate, giftOf } from '../domain/donation';
import { errorFields, logs } from '../logs';
import { certificateSigningKey, publicOrigin } from '../params';
import { collections, db, isAlreadyExists } from '../services/db';
import { certificatePaths } from '../services/certificates';
import { objectStore } from '../services/objectStore';
import { recipientOfNeed } from '../services/needs';

/** The day the gift was made (money) or handed over (goods): fixed, so the serial is too. */
function givenOn(donation: StoredDonation): string {
  const at = donation.kind === 'goods' ? donation.deliveredAt : donation.madeAt;
  return chinaDateOf(at?.toDate() ?? new Date());
}

/** A certificate that cannot be issued from what is stored: retrying will not change that. */
class CannotIssue extends Error {
  constructor(
    readonly reason: 'need_missing' | 'record_invalid' | 'payment_unproven',
    readonly missing?: string,
  ) {
    super(reason);
    this.name = 'CannotIssue';
  }
}

/**
 * The household (masked) and village the certificate names. The donation's snapshot when it
 * holds them; otherwise the need itself, masked by the function the public projection uses — a
 * gift made before the projection existed carries an empty snapshot, and must not go without.
 */
async function recipientOf(
  donation: StoredDonation,
): Promise<{ householdMasked: string; villageName: string }> {
  const snapshotName = maskedNameSchema.safeParse(donation.maskedName);
  const snapshotVillage = donation.villageName ?? '';
  if (snapshotName.success && snapshotVillage.trim()) {
    return { householdMasked: snapshotName.data, villageName: snapshotVillage };
  }
  const need = await needDocs().doc(donation.needId).get();
  if (!need.exists) throw new CannotIssue('need_missing', 'needs/{needId}');
  const recipient = await recipientOfNeed(need);
  if (!recipient)
    throw new CannotIssue('need_missing', 'households/{householdId}, regions/{villageCode}');
  return { householdMasked: recipient.maskedName, villageName: recipient.villageName };
}

/**
 * What to log of a failure, and whether a retry may help. Never the error's message: it may carry
 * a name. A record the schema refuses names the field paths that failed, not their values.
 */
function failureOf(error: unknown): {
  reason: string;
  missing?: string;
  fields?: string;
  errorName?: string;
  errorCode?: unknown;
  stack_trace?: string;
  retrying: boolean;
} {
  // A donation of another shape (logged by its converter): no retry will change it.
  if (error instanceof StoredDocumentInvalid)
    return { reason: 'donation_invalid', retrying: false };
  if (error instanceof CannotIssue) {
    return {
      reason: error.reason,
      ...(error.missing ? { missing: error.missing } : {}),
      retrying: false,
    };
  }
  if (error instanceof ZodError) {
    const paths = [...new Set(error.issues.map((issue) => issue.path.join('.') || '(record)'))];
    return { reason: 'record_invalid', fields: paths.join(','), retrying: false };
  }
  // Retried: in production a redeployment that ships the fonts lets the pending event through.
  if (error instanceof FontsMissingError) {
    return { reason: 'fonts_missing', missing: error.missing, retrying: true };
  }
  return {
    reason: 'error',
    ...errorFields(error),
    retrying: true,
  };
}

/**
 * Issues exactly one honour certificate (社会扶贫荣誉证书) per accepted money donation or
 * delivered goods donation, and revokes it when the donation no longer stands (refunded).
 *
 * Exactly once without transactions: the serial is derived from the donation id (a keyed hash),
 * the files' paths from the serial, and the record is stored with `create()` in the same batch
 * that marks the donation — so a second delivery, or two at once, either find the record or fail
 * the precondition, and at worst rewrite identical bytes to the same two objects.
 */
export const issueCertificate = onDocumentWritten(
  {
    document: `${collections.donations}/{donationId}`,
    retry: true,
    memory: '512MiB',
    secrets: [certificateSigningKey],
  },
  async (event) => {
    const donationId = event.params.donationId;
    try {
      const donation = donationOf(event.data?.after);
      if (!donation) return;
      if (donation.certificateSerial && !earnsCertificate(donation)) {
        await revoke(donation);
      } else if (earnsCertificate(donation) && !donation.certificateSerial) {
        await issue(donationId, donation);
      }
    } catch (error) {
      // Every failure is an ERROR naming why; one a retry cannot mend is not retried.
      const failure = failureOf(error);
      const { reason, ...detail } = failure;
      logs.certificateFailed(donationId, reason, detail);
      if (failure.retrying) throw error;
    }
  },
);

async function issue(donationId: string, donation: StoredDonation): Promise<void> {
  const key = certificateSigningKey.value();
  const issuedAt = givenOn(donation);
  const serial = serialFor(donationId, issuedAt, key);
  const certificateRef = certificateDocs().doc(serial);
  const donationRef = donationDocs().doc(donationId);
  const existing = await certificateRef.get();
  if (existing.exists) {
    // A run that stored the record and died before marking the donation, or a concurrent one.
    if (existing.data()?.donationId === donationId) {
      await donationRef.update({ certificateSerial: serial });
    }
    return;
  }
  const record: CertificateRecord = {
    serial,
    donorName: donation.donorName ?? '',
    ...(donation.donorUnit && donation.donorUnit !== donation.donorName
      ? { donorUnit: donation.donorUnit }
      : {}),
    ...(await recipientOf(donation)),
    gift: giftOf(donation),
    issuedAt,
    donationId,
    needId: donation.needId,
  };
  // Money earns its certificate only when a receipt proves it arrived (the provider's, or a
  // recorded transfer's): receivePayment writes the receipt in the batch that makes it received,
  // so a gift set to received any other way (a console edit) gets no certificate.
  if (donation.kind === 'money') {
    const receipt = await paymentReceipts().where('donationId', '==', donationId).limit(1).get();
    if (receipt.empty) throw new CannotIssue('payment_unproven', 'paymentReceipts{donationId}');
  }
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
  logs.certificateIssued(serial, donationId, donation.donorUid);
}

/**
 * Revokes a donation's certificate once it no longer stands (refunded, or any other way out of
 * accepted or delivered): a signed revocation created once in its own collection and copied onto
 * the certificate document in the same batch. The first reason and date stand: a second delivery
 * finds the record and stops.
 */
async function revoke(donation: StoredDonation): Promise<void> {
  const serial = donation.certificateSerial ?? '';
  const certificateRef = certificateDocs().doc(serial);
  const revocationRef = certificateRevocationDocs().doc(serial);
  const [certificate, existing] = await Promise.all([certificateRef.get(), revocationRef.get()]);
  const stored = certificate.data();
  if (!stored || existing.exists) return;
  const reason = z.enum(revocationReasons).catch('donation_refunded').parse(donation.refundReason);
  const revocation: Revocation = { reason, revokedAt: new Date().toISOString() };
  const signature = signRevocation(serial, revocation, certificateSigningKey.value());
  const batch = db().batch();
  batch.create(revocationRef, {
    revocation,
    signature,
    donationId: stored.donationId,
    createdAt: FieldValue.serverTimestamp(),
  });
  batch.update(
    certificateRef,
    { revocation, revocationSignature: signature },
    { lastUpdateTime: certificate.updateTime },
  );
  try {
    await batch.commit();
  } catch (error) {
    if (isAlreadyExists(error)) return;
    throw error;
  }
  logs.certificateRevoked(serial, reason);
}
