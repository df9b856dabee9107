/**
 * What the 一户一册一卡 callables share: a household read for an action (the village's staff act,
 * the offices above read), its file as it stands — or, before any visit, as the roster and an
 * identification application know it — and the file as staff see it, with the platform's own
 * fulfilled needs and received gifts among the measures.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import type { ChangeRow, HouseholdFile, MeasureRow } from '../contract/householdFile';
import { getAllOf } from '../data/converter';
import {
  distributionDocs,
  fileChangeDocs,
  householdFileDocs,
  householdFilePrivateDocs,
  sheetVisitDocs,
  townshipSettingsDocs,
  type StoredFileChange,
  type StoredSheetVisit,
} from '../data/householdFile';
import { householdDocs, staffDocs, type StoredHousehold } from '../data/households';
import { applicationPrivateDocs } from '../data/identification';
import { donationDocs } from '../data/money';
import { evidencePhotoDocs, needDocs } from '../data/needs';
import { cardColourOf, standardCauseOf, type PovertyCause } from '../domain/household';
import {
  ageOn,
  fieldLabel,
  incomeSources,
  livingChecks,
  perCapitaIncomeFen,
  personOfIdNumber,
  rosterDifferences,
  type InformationSheet,
  type LivingCheck,
} from '../domain/householdFile';
import { canActOnHousehold } from '../domain/household';
import { ancestorCode, isWithin } from '../domain/regions';
import type { Caller } from '../domain/roles';
import { chinaDateOf } from '../domain/validation/idNumber';
import { deny } from '../lib/callable';

/**
 * Reads a household for an action on its file: writing is for its village's administrator and
 * its own helper; reading also for the offices whose region holds it. A missing household and
 * one out of reach get the same answer.
 */
export async function householdFor(
  fn: string,
  caller: Caller,
  householdId: string,
  mode: 'read' | 'write',
) {
  const snapshot = await householdDocs().doc(householdId).get();
  const household = snapshot.data();
  const allowed =
    household !== undefined &&
    (canActOnHousehold(caller, household) ||
      (mode === 'read' &&
        ['township_admin', 'county_admin', 'city_admin', 'province_admin', 'ops'].includes(
          caller.role,
        ) &&
        (caller.role === 'ops' || isWithin(household.villageCode, caller.region))));
  if (!household || !allowed) deny(fn, caller.uid);
  return { snapshot, household };
}

const noLiving = Object.fromEntries(livingChecks.map((check) => [check, false])) as Record<
  LivingCheck,
  boolean
>;
const noIncome = Object.fromEntries(incomeSources.map((source) => [source, 0])) as Record<
  (typeof incomeSources)[number],
  number
>;

/**
 * The household's sheet as it stands, with its revision; before any visit (revision 0), the one
 * a first visit starts from: the members an identification application gave, the roster's
 * causes, nothing assumed about living conditions or income.
 */
export async function currentSheet(householdId: string, household: StoredHousehold) {
  const [fileSnapshot, privateSnapshot] = await Promise.all([
    householdFileDocs().doc(householdId).get(),
    householdFilePrivateDocs().doc(householdId).get(),
  ]);
  const file = fileSnapshot.data();
  if (file) {
    const secrets = privateSnapshot.data()?.members ?? [];
    const sheet: InformationSheet = {
      members: file.members.map((member, index) => ({
        ...member,
        idNumber: secrets[index]?.idNumber ?? '',
        health: secrets[index]?.health ?? 'healthy',
      })),
      living: file.living,
      income: file.income,
      causes: file.causes,
    };
    return { sheet, collected: true, revision: file.revision, fileSnapshot, privateSnapshot, file };
  }
  const application = household.identifiedBy
    ? (await applicationPrivateDocs().doc(household.identifiedBy).get()).data()
    : undefined;
  const sheet: InformationSheet = {
    members: (application?.memberDetails ?? []).map((member) => ({
      ...member,
      ...personOfIdNumber(member.idNumber),
      idLast4: member.idNumber.slice(-4),
    })),
    living: noLiving,
    income: noIncome,
    causes: (household.causes ?? [])
      .map((cause) => standardCauseOf(cause))
      .filter((cause): cause is PovertyCause => cause !== undefined),
  };
  return { sheet, collected: false, revision: 0, fileSnapshot, privateSnapshot, file: undefined };
}

/** The day a visit names, then the moment it was recorded: two visits of one day keep their order. */
export function inVisitOrder(a: StoredSheetVisit, b: StoredSheetVisit): number {
  return (
    a.visitedOn.localeCompare(b.visitedOn) || (a.at?.toMillis() ?? 0) - (b.at?.toMillis() ?? 0)
  );
}

/** A staff phone as people dial and print it: the mainland number without +86. */
export const printedPhone = (phone: string | undefined | null): string | null =>
  phone ? phone.replace(/^\+86/, '') : null;

export async function cardYearOf(villageCode: string): Promise<number | null> {
  const settings = await townshipSettingsDocs().doc(ancestorCode(villageCode, 'township')).get();
  return settings.data()?.cardYear ?? null;
}

export function changeRowOf(id: string, change: StoredFileChange): ChangeRow {
  return {
    id,
    visitId: change.visitId,
    field: change.field,
    label: fieldLabel(change.field),
    old: change.old,
    new: change.new,
    byName: change.byName,
    at: change.at ? change.at.toDate().toISOString() : '',
    enteredAt: change.enteredAt ? change.enteredAt.toDate().toISOString() : null,
  };
}

/** Measures the platform itself recorded for the household in the year: gifts received, goods delivered. */
async function platformMeasures(householdId: string, year: number): Promise<MeasureRow[]> {
  const needs = await needDocs().where('householdId', '==', householdId).get();
  const measures: MeasureRow[] = [];
  // Goods that reached the household: the money needs' gifts are listed one by one below.
  for (const doc of needs.docs) {
    const need = doc.data();
    const receivedOn = need.receipt?.receivedOn;
    if (need.kind !== 'goods' || !receivedOn?.startsWith(String(year))) continue;
    measures.push({
      date: receivedOn,
      kind: 'donation',
      description: `中国社会扶贫网爱心物资到户：${need.items.map((item) => item.name).join('、')}`,
      amountFen: 0,
      source: 'need',
      link: doc.id,
    });
  }
  const ids = needs.docs.map((doc) => doc.id);
  for (let i = 0; i < ids.length; i += 30) {
    const donations = await donationDocs()
      .where('needId', 'in', ids.slice(i, i + 30))
      .get();
    for (const doc of donations.docs) {
      const donation = doc.data();
      const at = donation.receivedAt ?? donation.settledAt;
      if (donation.status !== 'received' || !at) continue;
      const date = chinaDateOf(at.toDate());
      if (!date.startsWith(String(year))) continue;
      measures.push({
        date,
        kind: 'donation',
        description:
          donation.kind === 'money'
            ? `中国社会扶贫网爱心捐款（${donation.donorName ?? '爱心人士'}）`
            : `中国社会扶贫网爱心捐物（${donation.donorName ?? '爱心人士'}）`,
        amountFen: donation.amountFen ?? 0,
        source: 'donation',
        link: donation.needId,
      });
    }
  }
  return measures;
}

/** The file as staff see it, for a year. */
export async function householdFileOf(
  householdId: string,
  household: StoredHousehold,
  year: number,
): Promise<HouseholdFile> {
  const [current, changes, visits, distribution, helper, cardYear, measures] = await Promise.all([
    currentSheet(householdId, household),
    fileChangeDocs().where('householdId', '==', householdId).get(),
    sheetVisitDocs().where('householdId', '==', householdId).get(),
    distributionDocs().doc(`${householdId}_${year}`).get(),
    household.helperUid ? staffDocs().doc(household.helperUid).get() : Promise.resolve(undefined),
    cardYearOf(household.villageCode),
    platformMeasures(householdId, year),
  ]);
  const { sheet, collected, revision, file } = current;
  const today = chinaDateOf();
  const handbook = file?.handbooks[String(year)];
  const people = sheet.members.length + 1;
  const helperRecord = helper?.data();
  return {
    householdId,
    villageCode: household.villageCode,
    year,
    revision,
    headName: household.headName,
    idLast4: household.idLast4,
    address: household.address ?? '',
    status: household.status ?? 'not_out',
    outYear: household.outYear ?? null,
    members: sheet.members.map(({ idNumber: _idNumber, ...member }) => ({
      ...member,
      age: ageOn(member.birthDate, today),
    })),
    sheetCollected: collected,
    living: collected ? sheet.living : null,
    income: collected ? sheet.income : null,
    perCapitaIncomeFen: collected ? perCapitaIncomeFen(sheet.income, people) : null,
    causes: sheet.causes,
    helper: helperRecord
      ? { name: helperRecord.name, phone: printedPhone(helperRecord.phone) }
      : household.helperName
        ? { name: household.helperName, phone: null }
        : null,
    plan: handbook?.plan ?? '',
    measures: [
      ...(handbook?.measures ?? []).map((measure) => ({
        ...measure,
        source: 'file' as const,
        link: null,
      })),
      ...measures,
    ].sort((a, b) => a.date.localeCompare(b.date)),
    results: handbook?.results ?? '',
    differences: rosterDifferences(collected ? sheet : null, household),
    changes: changes.docs
      .map((doc) => changeRowOf(doc.id, doc.data()))
      .sort((a, b) => a.at.localeCompare(b.at) || a.field.localeCompare(b.field)),
    visits: [...visits.docs]
      .sort((a, b) => inVisitOrder(a.data(), b.data()))
      .map((doc) => {
        const visit = doc.data();
        return {
          id: doc.id,
          visitedOn: visit.visitedOn,
          byName: visit.byName,
          changes: visit.changes,
          confirmations: {
            household: visit.confirmations.household.kind,
            helper: visit.confirmations.helper.kind,
            cadre: visit.confirmations.cadre.kind,
          },
        };
      }),
    card: {
      colour:
        cardYear === null ? (household.cardColour ?? null) : cardColourOf(household, cardYear),
      cardYear,
    },
    distribution: {
      cardOn: distribution.data()?.cardOn ?? null,
      handbookOn: distribution.data()?.handbookOn ?? null,
    },
  };
}

/** Evidence photos a visit names as a signed sheet: of the village, processed, not yet used. */
export async function confirmationPhotos(
  caller: Caller,
  wanted: Array<{ party: string; photoId: string }>,
) {
  const photos = await getAllOf(wanted.map(({ photoId }) => evidencePhotoDocs().doc(photoId)));
  photos.forEach((photo, index) => {
    const data = photo.data();
    const foreign = caller.role === 'helper' && data?.uploaderUid !== caller.uid;
    if (
      !data ||
      data.villageCode !== caller.region ||
      foreign ||
      data.needId !== undefined ||
      photo.get('sheetVisitId') !== undefined ||
      data.status === 'quarantined'
    ) {
      throw new HttpsError('invalid-argument', '签字表照片无法使用，请重新拍摄上传', {
        issues: [
          { path: `confirmations.${wanted[index]?.party}.photoId`, code: 'evidence_unknown' },
        ],
      });
    }
  });
  return photos;
}
