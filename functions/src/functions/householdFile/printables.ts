import { HttpsError } from 'firebase-functions/v2/https';
import type { ContactCardData } from '../../contract/householdFile';
import { townshipSettingsDocs } from '../../data/householdFile';
import { householdDocs, staffDocs, type StoredHousehold } from '../../data/households';
import { fontSet } from '../../domain/certificate/fonts';
import { cardColourOf } from '../../domain/household';
import { contactCardsPdf, handbookPdf, informationSheetPdf } from '../../domain/printables';
import { ancestorCode, isWithin } from '../../domain/regions';
import { staffRoles } from '../../domain/roles';
import { chinaDateOf } from '../../domain/validation/idNumber';
import { callable, deny } from '../../lib/callable';
import {
  cardYearOf,
  householdFileOf,
  householdFor,
  printedPhone,
} from '../../services/householdFile';
import { placeNameOf } from '../../services/identification';

const pdfFile = (name: string, pdf: Buffer) => ({
  filename: `${name}.pdf`,
  contentType: 'application/pdf',
  dataBase64: pdf.toString('base64'),
});

/** The 《贫困户信息表》 of a household as the file holds it, to print and sign at a visit. */
export const exportInformationSheet = callable({
  name: 'exportInformationSheet',
  roles: staffRoles,
  handler: async ({ householdId, year }, caller) => {
    const { household } = await householdFor('exportInformationSheet', caller, householdId, 'read');
    const file = await householdFileOf(householdId, household, year);
    return pdfFile(
      `贫困户信息表_${household.headName}_${year}`,
      informationSheetPdf(file, await fontSet()),
    );
  },
});

/** The household's 《帮扶手册》 for the year. */
export const exportHandbook = callable({
  name: 'exportHandbook',
  roles: staffRoles,
  handler: async ({ householdId, year }, caller) => {
    const { household } = await householdFor('exportHandbook', caller, householdId, 'read');
    const [file, place] = await Promise.all([
      householdFileOf(householdId, household, year),
      placeNameOf(household.villageCode),
    ]);
    return pdfFile(
      `帮扶手册_${household.headName}_${year}`,
      handbookPdf(file, await fontSet(), place.place),
    );
  },
});

/** Who a village's cards name besides the helper: its information administrator, the township's. */
async function contactsOf(villageCode: string) {
  const township = ancestorCode(villageCode, 'township');
  const [villageStaff, townshipStaff] = await Promise.all([
    staffDocs().where('regionCode', '==', villageCode).get(),
    staffDocs().where('regionCode', '==', township).get(),
  ]);
  const firstActive = (docs: typeof villageStaff.docs, role: string) =>
    docs
      .map((doc) => doc.data())
      .filter((staff) => staff.active && staff.role === role)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))[0];
  const cadre = firstActive(villageStaff.docs, 'village_admin');
  const office = firstActive(townshipStaff.docs, 'township_admin');
  const helpers = new Map(
    villageStaff.docs
      .filter((doc) => doc.data().role === 'helper')
      .map((doc) => [doc.id, { name: doc.data().name, phone: printedPhone(doc.data().phone) }]),
  );
  return {
    villageCadre: cadre ? { name: cadre.name, phone: printedPhone(cadre.phone) } : null,
    townshipPhone: printedPhone(office?.phone),
    helpers,
  };
}

/**
 * The contact cards (联系卡, seed 004) of one household or of a whole village, two per A4 page:
 * blue or red by the township's card year; a household with no card under the rule gets none.
 */
export const exportContactCards = callable({
  name: 'exportContactCards',
  roles: ['village_admin', 'helper', 'township_admin', 'county_admin', 'ops'],
  handler: async (input, caller) => {
    let households: Array<{ id: string; household: StoredHousehold }>;
    let villageCode: string;
    if ('householdId' in input) {
      const { household } = await householdFor(
        'exportContactCards',
        caller,
        input.householdId,
        'read',
      );
      households = [{ id: input.householdId, household }];
      villageCode = household.villageCode;
    } else {
      villageCode = input.villageCode;
      const allowed =
        caller.role === 'ops' || (caller.role !== 'helper' && isWithin(villageCode, caller.region));
      if (!allowed) deny('exportContactCards', caller.uid);
      const snapshot = await householdDocs()
        .where('villageCode', '==', villageCode)
        .where('onRoster', '==', true)
        .get();
      households = snapshot.docs.map((doc) => ({ id: doc.id, household: doc.data() }));
    }
    const cardYear = await cardYearOf(villageCode);
    if (cardYear === null) {
      throw new HttpsError(
        'failed-precondition',
        '乡镇尚未设定联系卡年度，请联系乡镇扶贫工作站在"一户一册一卡"中设定',
        { reason: 'card_year_missing' },
      );
    }
    const [place, contacts, township] = await Promise.all([
      placeNameOf(villageCode),
      contactsOf(villageCode),
      placeNameOf(ancestorCode(villageCode, 'township')).catch(() => ({ village: '', place: '' })),
    ]);
    const cards: ContactCardData[] = [];
    for (const { household } of households.sort((a, b) =>
      a.household.headName.localeCompare(b.household.headName, 'zh-CN'),
    )) {
      const colour = cardColourOf(household, cardYear);
      if (!colour) continue;
      const helper = household.helperUid ? contacts.helpers.get(household.helperUid) : undefined;
      cards.push({
        householdName: household.headName,
        placeName: place.place,
        colour,
        cardYear,
        helper:
          helper ?? (household.helperName ? { name: household.helperName, phone: null } : null),
        villageCadre: contacts.villageCadre,
        townshipOffice: { name: `${township.village}扶贫工作站`, phone: contacts.townshipPhone },
      });
    }
    if (cards.length === 0) {
      throw new HttpsError(
        'failed-precondition',
        `按${cardYear}年度的规则没有需要发放联系卡的农户（蓝卡：当年新纳入和返贫户；红卡：当年脱贫户）`,
        { reason: 'no_cards' },
      );
    }
    const name =
      'householdId' in input
        ? `联系卡_${households[0]?.household.headName}_${cardYear}`
        : `联系卡_${place.village}_${cardYear}_${chinaDateOf()}`;
    return { ...pdfFile(name, contactCardsPdf(cards, await fontSet())), cards: cards.length };
  },
});

/** The township's footer and 工作开展情况及建议 for the year's progress form. */
export const saveProgressReport = callable({
  name: 'saveProgressReport',
  roles: ['township_admin'],
  handler: async ({ townshipCode, year, ...footer }, caller) => {
    if (townshipCode !== caller.region) deny('saveProgressReport', caller.uid);
    await townshipSettingsDocs()
      .doc(townshipCode)
      .set({ progressReports: { [String(year)]: footer } }, { merge: true });
    return { townshipCode, year };
  },
});
