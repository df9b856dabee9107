/**
 * 一户一册一卡 (seed 004) and the household's file of seed 003 (家庭基本情况、致贫原因、帮扶责任人、
 * 帮扶计划、帮扶措施、帮扶成效): what the file holds, how a home visit's corrected 《贫困户信息表》
 * becomes a list of changes (field, old, new), how the file compares with the national system's
 * roster (三统一), and the contact card's colour. Pure: the functions and the web client share it.
 */
import type { PovertyCause } from './household';

export const memberRelations = [
  'spouse',
  'child',
  'parent',
  'grandchild',
  'sibling',
  'other',
] as const;
export type MemberRelation = (typeof memberRelations)[number];
export const memberHealth = ['healthy', 'chronic', 'serious', 'disabled'] as const;
export type MemberHealth = (typeof memberHealth)[number];
export const memberEducation = [
  'none',
  'primary',
  'junior',
  'senior',
  'college',
  'in_school',
  'preschool',
] as const;
export type MemberEducation = (typeof memberEducation)[number];
export const memberLabour = ['full', 'partial', 'none'] as const;
export type MemberLabour = (typeof memberLabour)[number];

export const relationLabels: Record<MemberRelation, string> = {
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙辈',
  sibling: '兄弟姐妹',
  other: '其他',
};
export const healthLabels: Record<MemberHealth, string> = {
  healthy: '健康',
  chronic: '长期慢性病',
  serious: '患有大病',
  disabled: '残疾',
};
export const educationLabels: Record<MemberEducation, string> = {
  none: '文盲或半文盲',
  primary: '小学',
  junior: '初中',
  senior: '高中',
  college: '大专及以上',
  in_school: '在校生',
  preschool: '学龄前儿童',
};
export const labourLabels: Record<MemberLabour, string> = {
  full: '普通劳动力',
  partial: '弱劳动力或半劳动力',
  none: '无劳动力',
};

/** 两不愁三保障 and the living conditions the information sheet checks. */
export const livingChecks = [
  'enoughFood',
  'enoughClothing',
  'schooling',
  'medicalInsurance',
  'safeHousing',
  'safeWater',
  'electricity',
  'road',
] as const;
export type LivingCheck = (typeof livingChecks)[number];
export const livingLabels: Record<LivingCheck, string> = {
  enoughFood: '不愁吃',
  enoughClothing: '不愁穿',
  schooling: '义务教育有保障',
  medicalInsurance: '基本医疗有保障',
  safeHousing: '住房安全有保障',
  safeWater: '饮水安全',
  electricity: '通生活用电',
  road: '通硬化路',
};

/** Income by source for the year (the national system's four kinds), in fen. */
export const incomeSources = ['wage', 'business', 'property', 'transfer'] as const;
export type IncomeSource = (typeof incomeSources)[number];
export const incomeLabels: Record<IncomeSource, string> = {
  wage: '工资性收入',
  business: '生产经营性收入',
  property: '财产性收入',
  transfer: '转移性收入',
};

export const measureKinds = [
  'industry',
  'employment',
  'education',
  'health',
  'housing',
  'social_security',
  'finance',
  'donation',
  'other',
] as const;
export type MeasureKind = (typeof measureKinds)[number];
export const measureLabels: Record<MeasureKind, string> = {
  industry: '产业扶贫',
  employment: '就业扶贫',
  education: '教育扶贫',
  health: '健康扶贫',
  housing: '危房改造/易地搬迁',
  social_security: '社会保障兜底',
  finance: '金融扶贫',
  donation: '社会扶贫捐赠',
  other: '其他',
};

/** A member as the file keeps it; the ID number and health live in the private document. */
export interface FileMember {
  name: string;
  relation: MemberRelation;
  /** Derived from the ID number. */
  sex: 'male' | 'female';
  birthDate: string;
  education: MemberEducation;
  labour: MemberLabour;
  idLast4: string;
}

export interface MemberPrivate {
  idNumber: string;
  health: MemberHealth;
}

/** The part of the file a home visit walks with the household: the 《贫困户信息表》. */
export interface InformationSheet {
  /** Everyone but the head; each member's ID and health too (private). */
  members: Array<FileMember & MemberPrivate>;
  living: Record<LivingCheck, boolean>;
  income: Record<IncomeSource, number>;
  causes: PovertyCause[];
}

/** Sex and birth date of an 18-character ID number (GB 11643: 17th digit's parity, digits 7–14). */
export function personOfIdNumber(idNumber: string): { sex: 'male' | 'female'; birthDate: string } {
  const birth = idNumber.slice(6, 14);
  return {
    sex: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
  };
}

/** Age in whole years on a date (YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The household's net income per person for the year, in fen (what the roster reports). */
export function perCapitaIncomeFen(income: Record<IncomeSource, number>, people: number): number {
  const total = incomeSources.reduce((sum, source) => sum + income[source], 0);
  return Math.round(total / Math.max(1, people));
}

/** One correction a visit made: a field path of the sheet, its value before and after, as text. */
export interface SheetChange {
  field: string;
  old: string;
  new: string;
}

const memberText = (member: FileMember & MemberPrivate): string =>
  [
    member.name,
    relationLabels[member.relation],
    `身份证后四位${member.idNumber.slice(-4)}`,
    healthLabels[member.health],
    educationLabels[member.education],
    labourLabels[member.labour],
  ].join('，');

/** Money as people read it on the sheet: 1234.5 元. */
export const yuanText = (fen: number): string =>
  `${(fen / 100).toFixed(2).replace(/\.?0+$/, '')}元`;

/**
 * What a corrected sheet changes of the file, field by field: each member by their ID number
 * (added, removed, or a field of theirs), each living check, each income source, the causes.
 * Never the full ID number in a change: only its last four, as staff see it.
 */
export function sheetChanges(before: InformationSheet, after: InformationSheet): SheetChange[] {
  const changes: SheetChange[] = [];
  const byId = new Map(before.members.map((member) => [member.idNumber, member]));
  const afterIds = new Set(after.members.map((member) => member.idNumber));
  for (const member of after.members) {
    const old = byId.get(member.idNumber);
    const key = `members.${member.idNumber.slice(-4)}`;
    if (!old) {
      changes.push({ field: key, old: '', new: memberText(member) });
      continue;
    }
    for (const field of ['name', 'relation', 'health', 'education', 'labour'] as const) {
      if (old[field] === member[field]) continue;
      const label = (value: string) =>
        field === 'relation'
          ? relationLabels[value as MemberRelation]
          : field === 'health'
            ? healthLabels[value as MemberHealth]
            : field === 'education'
              ? educationLabels[value as MemberEducation]
              : field === 'labour'
                ? labourLabels[value as MemberLabour]
                : value;
      changes.push({ field: `${key}.${field}`, old: label(old[field]), new: label(member[field]) });
    }
  }
  for (const member of before.members) {
    if (!afterIds.has(member.idNumber)) {
      changes.push({
        field: `members.${member.idNumber.slice(-4)}`,
        old: memberText(member),
        new: '',
      });
    }
  }
  for (const check of livingChecks) {
    if (before.living[check] !== after.living[check]) {
      const text = (value: boolean) => (value ? '是' : '否');
      changes.push({
        field: `living.${check}`,
        old: text(before.living[check]),
        new: text(after.living[check]),
      });
    }
  }
  for (const source of incomeSources) {
    if (before.income[source] !== after.income[source]) {
      changes.push({
        field: `income.${source}`,
        old: yuanText(before.income[source]),
        new: yuanText(after.income[source]),
      });
    }
  }
  const causes = (list: readonly string[]) => [...list].sort().join('、');
  if (causes(before.causes) !== causes(after.causes)) {
    changes.push({ field: 'causes', old: causes(before.causes), new: causes(after.causes) });
  }
  return changes;
}

/** The Chinese name of a change's field, for the report and the handbook. */
export function fieldLabel(field: string): string {
  const [section, key, sub] = field.split('.');
  if (section === 'living') return livingLabels[key as LivingCheck] ?? field;
  if (section === 'income') return incomeLabels[key as IncomeSource] ?? field;
  if (section === 'causes') return '致贫原因';
  if (section === 'members') {
    const subLabel: Record<string, string> = {
      name: '姓名',
      relation: '与户主关系',
      health: '健康状况',
      education: '文化程度',
      labour: '劳动能力',
    };
    return `家庭成员（身份证后四位${key}）${sub ? (subLabel[sub] ?? sub) : ''}`;
  }
  return field;
}

/** What the national system's roster says of a household (the last import). */
export interface RosterView {
  headName: string;
  members?: number;
  causes?: readonly string[];
  annualIncomeFen?: number;
}

export interface RosterDifference {
  field: 'members' | 'causes' | 'annualIncomeFen';
  label: string;
  file: string;
  roster: string;
}

/**
 * 三统一: where the file differs from the national system's roster (the last import), field by
 * field. Only what the file has collected is compared: a file never visited has no sheet yet.
 */
export function rosterDifferences(
  sheet: InformationSheet | null,
  roster: RosterView,
): RosterDifference[] {
  if (!sheet) return [];
  const differences: RosterDifference[] = [];
  const people = sheet.members.length + 1;
  if (roster.members !== undefined && roster.members !== people) {
    differences.push({
      field: 'members',
      label: '家庭人口',
      file: `${people}人`,
      roster: `${roster.members}人`,
    });
  }
  const causes = (list: readonly string[]) => [...list].sort().join('、');
  if (roster.causes !== undefined && causes(roster.causes) !== causes(sheet.causes)) {
    differences.push({
      field: 'causes',
      label: '致贫原因',
      file: causes(sheet.causes),
      roster: causes(roster.causes),
    });
  }
  const perCapita = perCapitaIncomeFen(sheet.income, people);
  // The roster reports whole yuan per person: a difference under one yuan is rounding.
  if (roster.annualIncomeFen !== undefined && Math.abs(roster.annualIncomeFen - perCapita) >= 100) {
    differences.push({
      field: 'annualIncomeFen',
      label: '年人均纯收入',
      file: yuanText(perCapita),
      roster: yuanText(roster.annualIncomeFen),
    });
  }
  return differences;
}

export const confirmationParties = ['household', 'helper', 'cadre'] as const;
export type ConfirmationParty = (typeof confirmationParties)[number];
export const confirmationLabels: Record<ConfirmationParty, string> = {
  household: '贫困户',
  helper: '帮扶联系人',
  cadre: '村干',
};
