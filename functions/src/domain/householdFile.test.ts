import { checkCharOf } from './idNumber';
import { cardColourOf } from './household';
import {
  ageOn,
  perCapitaIncomeFen,
  personOfIdNumber,
  rosterDifferences,
  sheetChanges,
  type InformationSheet,
} from './householdFile';

const id = (first17: string) => first17 + checkCharOf(first17);

describe('the contact card (seed 004), for the card year 2018', () => {
  it('is blue for households newly included in that year’s adjustment and for returned ones', () => {
    expect(cardColourOf({ status: 'not_out', includedYear: 2018 }, 2018)).toBe('blue');
    expect(cardColourOf({ status: 'returned', outYear: 2016 }, 2018)).toBe('blue');
  });

  it('is red for the exits of that year', () => {
    expect(cardColourOf({ status: 'out', outYear: 2018 }, 2018)).toBe('red');
  });

  it('is none for households poor since earlier years or out in an earlier year', () => {
    expect(cardColourOf({ status: 'not_out', includedYear: 2016 }, 2018)).toBeNull();
    expect(cardColourOf({ status: 'not_out' }, 2018)).toBeNull();
    expect(cardColourOf({ status: 'out', outYear: 2017 }, 2018)).toBeNull();
    expect(cardColourOf({ status: 'stably_out', outYear: 2018 }, 2018)).toBeNull();
  });

  it('follows the year the township sets', () => {
    const household = { status: 'out' as const, outYear: 2019 };
    expect(cardColourOf(household, 2018)).toBeNull();
    expect(cardColourOf(household, 2019)).toBe('red');
  });
});

describe('a member from the ID number', () => {
  it('takes sex from the 17th digit and the birth date from digits 7–14', () => {
    expect(personOfIdNumber(id('52052619850307001'))).toEqual({
      sex: 'male',
      birthDate: '1985-03-07',
    });
    expect(personOfIdNumber(id('52052620100615002'))).toEqual({
      sex: 'female',
      birthDate: '2010-06-15',
    });
    expect(ageOn('2010-06-15', '2026-06-14')).toBe(15);
    expect(ageOn('2010-06-15', '2026-06-15')).toBe(16);
  });
});

const wife = {
  name: '杨秀英',
  idNumber: id('52052619720101002'),
  relation: 'spouse' as const,
  health: 'healthy' as const,
  education: 'primary' as const,
  labour: 'full' as const,
  sex: 'female' as const,
  birthDate: '1972-01-01',
  idLast4: '',
};
const son = {
  ...wife,
  name: '龙小军',
  idNumber: id('52052620050101011'),
  relation: 'child' as const,
  education: 'in_school' as const,
  labour: 'none' as const,
};
const living = {
  enoughFood: true,
  enoughClothing: true,
  schooling: true,
  medicalInsurance: true,
  safeHousing: false,
  safeWater: true,
  electricity: true,
  road: true,
};
const sheet: InformationSheet = {
  members: [wife, son],
  living,
  income: { wage: 600_000, business: 200_000, property: 0, transfer: 100_000 },
  causes: ['因病'],
};

describe('the corrected sheet as changes', () => {
  it('lists each corrected field with its old and new value, members by the last four of their ID', () => {
    const corrected: InformationSheet = {
      ...sheet,
      members: [
        { ...wife, health: 'chronic' },
        { ...son, labour: 'partial', education: 'senior' },
      ],
      income: { ...sheet.income, wage: 900_000 },
    };
    expect(sheetChanges(sheet, corrected)).toEqual([
      { field: `members.${wife.idNumber.slice(-4)}.health`, old: '健康', new: '长期慢性病' },
      { field: `members.${son.idNumber.slice(-4)}.education`, old: '在校生', new: '高中' },
      {
        field: `members.${son.idNumber.slice(-4)}.labour`,
        old: '无劳动力',
        new: '弱劳动力或半劳动力',
      },
      { field: 'income.wage', old: '6000元', new: '9000元' },
    ]);
  });

  it('records a member added or gone, a living check and the causes, never a full ID number', () => {
    const corrected: InformationSheet = {
      ...sheet,
      members: [wife],
      living: { ...living, safeHousing: true },
      causes: ['因病', '缺劳力'],
    };
    const changes = sheetChanges(sheet, corrected);
    expect(changes.map((change) => change.field)).toEqual([
      `members.${son.idNumber.slice(-4)}`,
      'living.safeHousing',
      'causes',
    ]);
    expect(JSON.stringify(changes)).not.toContain(son.idNumber);
    expect(sheetChanges(sheet, sheet)).toEqual([]);
  });
});

describe('三统一: the file against the national roster', () => {
  it('finds no difference when the roster agrees, whole yuan per person', () => {
    const perCapita = perCapitaIncomeFen(sheet.income, 3);
    expect(perCapita).toBe(300_000);
    expect(
      rosterDifferences(sheet, {
        headName: '龙德华',
        members: 3,
        causes: ['因病'],
        annualIncomeFen: 300_000,
      }),
    ).toEqual([]);
  });

  it('names each field that differs', () => {
    expect(
      rosterDifferences(sheet, {
        headName: '龙德华',
        members: 4,
        causes: ['缺资金'],
        annualIncomeFen: 250_000,
      }),
    ).toEqual([
      { field: 'members', label: '家庭人口', file: '3人', roster: '4人' },
      { field: 'causes', label: '致贫原因', file: '因病', roster: '缺资金' },
      { field: 'annualIncomeFen', label: '年人均纯收入', file: '3000元', roster: '2500元' },
    ]);
  });

  it('compares nothing before a visit collected the sheet', () => {
    expect(rosterDifferences(null, { headName: '龙德华', members: 4 })).toEqual([]);
  });
});
