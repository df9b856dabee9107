/**
 * Loads the demo township into the running local platform: Auth accounts with their claims
 * (through the Auth emulator), then Firestore documents through firebase-admin, so that every
 * trigger fires on the seed exactly as it would on real data.
 */
import { getAuth } from 'firebase-admin/auth';
import { FieldValue, getFirestore, Timestamp } from 'firebase-admin/firestore';
import { collections } from '../src/services/db';
import { incomingPath } from '../src/domain/photos/plan';
import { objectStore } from '../src/services/objectStore';
import { maskName } from '../src/domain/need/names';
import { pledgeHoldMs } from '../src/domain/goods';
import { pledgeHoldHours } from '../src/domain/donation';
import { ancestorsOf } from '../src/domain/regions';
import { seatsPerRegion } from '../src/domain/roles';
import {
  demoAccounts,
  demoGifts,
  demoHouseholds,
  demoNeeds,
  demoPassword,
  demoReceivedOn,
  demoRegions,
  demoVillages,
  latestExitYear,
  type DemoAccount,
} from './demoTownship';

async function upsertAccount(account: ReturnType<typeof demoAccounts>[number]): Promise<void> {
  const auth = getAuth();
  const profile = {
    displayName: account.name,
    ...(account.email ? { email: account.email, password: demoPassword, emailVerified: true } : {}),
    ...(account.phone ? { phoneNumber: account.phone } : {}),
  };
  try {
    await auth.updateUser(account.uid, profile);
  } catch (error) {
    if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
    await auth.createUser({ uid: account.uid, ...profile });
  }
  await auth.setCustomUserClaims(account.uid, { role: account.role, region: account.region });
}

export async function seedDemoTownship(): Promise<{ households: number; accounts: number }> {
  const accounts = demoAccounts();
  for (const account of accounts) await upsertAccount(account);

  const db = getFirestore();
  const writes: Array<(batch: FirebaseFirestore.WriteBatch) => void> = [];
  const regionDocs = [
    { ...demoRegions.province, level: 'province' },
    { ...demoRegions.city, level: 'city' },
    { ...demoRegions.county, level: 'county' },
    { ...demoRegions.township, level: 'township' },
    ...demoVillages.map((village) => ({ ...village, level: 'village' })),
  ];
  const names = new Map(regionDocs.map((region) => [region.code, region.name]));
  for (const region of regionDocs) {
    const fullName = [...ancestorsOf(region.code).reverse(), region.code]
      .map((code) => names.get(code))
      .join('');
    writes.push((batch) =>
      batch.set(db.collection(collections.regions).doc(region.code), {
        code: region.code,
        name: region.name,
        fullName,
        level: region.level,
        parentCode: ancestorsOf(region.code)[0] ?? null,
        // Where donors send goods and whom they meet (setVillageReceiving): the village office.
        ...(region.level === 'village'
          ? {
              receiving: {
                address: `${fullName}村民委员会`,
                contactName: `${region.name}信息员甲`,
                phone: `0857-6${region.code.slice(-3)}000`,
              },
            }
          : {}),
      }),
    );
  }
  for (const account of accounts) {
    if (account.role === 'donor') {
      writes.push((batch) =>
        batch.set(db.collection('donors').doc(account.uid), {
          name: account.name,
          kind: account.name.endsWith('公司') ? 'enterprise' : 'person',
          unit: account.name.endsWith('公司') ? account.name : '',
          createdAt: FieldValue.serverTimestamp(),
        }),
      );
      continue;
    }
    const seatLimit = seatsPerRegion[account.role];
    // Village administrators are demo-vNNa / demo-vNNb: seats 1 and 2 of their village.
    const seat = seatLimit
      ? `${account.region}_${account.role}_${account.uid.endsWith('b') ? 2 : 1}`
      : null;
    writes.push((batch) => {
      batch.set(db.collection(collections.staff).doc(account.uid), {
        role: account.role,
        regionCode: account.region,
        name: account.name,
        email: account.email ?? null,
        seat,
        active: true,
      });
      if (seat) {
        batch.set(db.collection(collections.staffSeats).doc(seat), {
          uid: account.uid,
          role: account.role,
          regionCode: account.region,
        });
      }
    });
  }
  // The demo township's contact cards follow its latest adjustment (seed 004's card year).
  writes.push((batch) => {
    batch.set(db.collection(collections.townshipSettings).doc(demoRegions.township.code), {
      cardYear: latestExitYear,
    });
  });
  const households = demoHouseholds();
  for (const household of households) {
    writes.push((batch) => {
      batch.set(db.collection(collections.households).doc(household.id), household.doc);
      batch.set(db.collection(collections.householdsPrivate).doc(household.id), {
        idNumber: household.idNumber,
        villageCode: household.doc.villageCode,
      });
    });
  }
  const seededNeeds = demoNeeds(households);
  const needsById = new Map(seededNeeds.map((need) => [need.id, need]));
  const plan = demoGifts(
    seededNeeds,
    accounts.filter((account) => account.role === 'donor').map((account) => account.uid),
  );
  for (const need of seededNeeds) {
    const status = String(need.need.status);
    writes.push((batch) => {
      batch.set(db.collection(collections.needs).doc(need.id), {
        ...need.need,
        ...plan.needFields.get(need.id),
        submittedAt: FieldValue.serverTimestamp(),
        updatedAt: FieldValue.serverTimestamp(),
        ...(['published', 'matched', 'fulfilled', 'closed'].includes(status)
          ? { publishedAt: FieldValue.serverTimestamp() }
          : {}),
        // Money needs are covered by their received gifts as seeded (goods ones by settlement).
        ...(status === 'matched' && need.need.kind === 'money'
          ? { matchedAt: FieldValue.serverTimestamp() }
          : {}),
        // Covered and received: as settlement and confirmReceipt leave them.
        ...(['fulfilled', 'closed'].includes(status)
          ? {
              matchedAt: FieldValue.serverTimestamp(),
              fulfilledAt: FieldValue.serverTimestamp(),
            }
          : {}),
      });
      batch.set(db.collection(collections.needsPrivate).doc(need.id), need.needPrivate);
      for (const photoId of need.photoIds) {
        // As uploadEvidencePhoto leaves it: the upload below goes through the real pipeline.
        batch.set(db.collection(collections.evidencePhotos).doc(photoId), {
          villageCode: need.need.villageCode,
          uploaderUid: need.need.submittedBy,
          draftId: need.id,
          needId: need.id,
          status: 'uploaded',
        });
      }
    });
  }
  // Gifts of the demo donors cover every matched, fulfilled and closed need (demoGifts): they go
  // through the same settlement and certificate triggers as real ones.
  const donors = accounts.filter((account) => account.role === 'donor');
  for (const gift of plan.gifts) {
    const need = needsById.get(gift.needId) as (typeof seededNeeds)[number];
    const donor = donors.find((candidate) => candidate.uid === gift.donorUid) as DemoAccount;
    const village = demoVillages.find((candidate) => candidate.code === need.need.villageCode);
    const now = FieldValue.serverTimestamp();
    const delivered = gift.status === 'delivered';
    // The receipt first: a batch boundary between the two then never shows the certificate
    // trigger money received with no receipt (it issues only for money a receipt proves).
    if (gift.kind === 'money') {
      const providerTradeNo = `DEMO${gift.id.replace(/[^0-9A-Za-z]/g, '')}`;
      writes.push((batch) =>
        batch.set(db.collection(collections.paymentReceipts).doc(providerTradeNo), {
          provider: 'alipay',
          outTradeNo: gift.id,
          providerTradeNo,
          amountFen: gift.amountFen,
          paidAt: now,
          receivedAt: now,
          via: 'seed',
          donationId: gift.id,
        }),
      );
    }
    writes.push((batch) =>
      batch.set(db.collection(collections.donations).doc(gift.id), {
        needId: gift.needId,
        donorUid: donor.uid,
        kind: gift.kind,
        status: gift.status,
        donorName: donor.name,
        donorUnit: donor.name.endsWith('公司') ? donor.name : '',
        maskedName: maskName(String(need.need.headName)),
        villageName: village?.name ?? '',
        villageCode: need.need.villageCode,
        townshipCode: need.need.townshipCode,
        madeAt: now,
        ...(gift.kind === 'money'
          ? {
              amountFen: gift.amountFen,
              // Pledged, then paid: a demo gift never met the provider, so it carries no
              // `payment` (a refund of it moves no money anywhere) but has its receipt below.
              payBy: Timestamp.fromMillis(Date.now() + pledgeHoldHours * 3_600_000),
              receivedAt: now,
            }
          : {
              items: gift.items,
              delivery: { method: 'express', courier: 'sf', trackingNumber: gift.trackingNumber },
              tracking: true,
              expiresAt: Timestamp.fromMillis(Date.now() + pledgeHoldMs),
            }),
        settledAt: now,
        // As recordHandover leaves an express pledge the household received.
        ...(delivered
          ? {
              deliveredAt: now,
              handover: {
                receivedOn: demoReceivedOn,
                recordedBy: String(need.need.submittedBy),
                recipientConfirmed: true,
                recipientConfirmedAt: now,
              },
            }
          : {}),
      }),
    );
  }
  for (let i = 0; i < writes.length; i += 200) {
    const batch = db.batch();
    for (const write of writes.slice(i, i + 200)) write(batch);
    await batch.commit();
  }
  // Evidence photos: a generated picture per need, uploaded where the client's uploads land,
  // so onEvidenceUploaded makes the display image and thumbnail the public view shows.
  const { default: sharp } = await import('sharp');
  for (const [index, need] of seededNeeds.entries()) {
    for (const photoId of need.photoIds) {
      const hue = (index * 47) % 360;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},45%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},40%,35%)"/></linearGradient></defs><rect width="1200" height="900" fill="url(#g)"/><rect x="380" y="330" width="440" height="300" fill="hsl(${hue},20%,90%)"/><polygon points="340,340 600,160 860,340" fill="hsl(${hue},30%,40%)"/></svg>`;
      const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
      await objectStore().write(
        incomingPath(String(need.need.villageCode), String(need.need.submittedBy), photoId),
        jpeg,
        {
          contentType: 'image/jpeg',
        },
      );
    }
  }
  return { households: households.length, accounts: accounts.length };
}
