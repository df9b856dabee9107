/**
 * The parts of a household's file that the 《贫困户信息表》 and the 《帮扶手册》 print alike: the basic
 * facts, the members, the 两不愁三保障 checks, income by source, causes and the helper. A sheet
 * printed before any visit has collected the facts leaves their cells empty (是 / 否 to circle) for the
 * pen; the handbook prints a dash there. Staff documents: IDs as their last four only.
 */
import type { HouseholdFile } from '../../contract/householdFile';
import { householdStatusLabels } from '../household';
import {
  educationLabels,
  healthLabels,
  incomeLabels,
  incomeSources,
  labourLabels,
  livingChecks,
  livingLabels,
  relationLabels,
} from '../householdFile';
import { formatYuan } from '../validation/money';
import { span, type Column, type Flow } from './flow';

/** How unknown facts print: room to write by hand, or a dash. */
export type Blank = 'write' | 'dash';

const empty = (blank: Blank) => (blank === 'write' ? '' : '—');

const muted = 0x666666;

/** A section heading that keeps its first lines with it. */
export function heading(flow: Flow, text: string, gap = 8): void {
  flow.ensure(90);
  flow.gap(gap);
  flow.line([span(text, true)], 13);
}

/** A remark in grey, for a part with nothing in it yet. */
export function none(flow: Flow, text: string): void {
  flow.line([span(text, false, muted)], 11);
}

export function columns(names: readonly string[], widths: readonly number[]): Column[] {
  return names.map((header, index) => ({
    header,
    width: widths[index] as number,
    align: ['序号', '性别', '年龄', '身份证后四位', '情况', '金额（元）'].includes(header)
      ? 'center'
      : 'left',
  }));
}

/** 未脱贫, or 已脱贫（2018年）. */
export function statusText(file: HouseholdFile): string {
  const label = householdStatusLabels[file.status];
  return file.outYear !== null && file.status !== 'not_out'
    ? `${label}（${file.outYear}年脱贫）`
    : label;
}

/** 家庭基本情况 as label/value lines. */
export function basicFacts(file: HouseholdFile): Array<[string, string]> {
  return [
    ['户主姓名', file.headName],
    ['身份证号', `后四位 ${file.idLast4}`],
    ['家庭住址', file.address],
    ['贫困户属性', statusText(file)],
    ['家庭人口', `${file.members.length + 1}人`],
  ];
}

const memberHeader = [
  '姓名',
  '与户主关系',
  '性别',
  '年龄',
  '身份证后四位',
  '健康状况',
  '文化程度',
  '劳动能力',
] as const;

/**
 * The members table, the head first. The file keeps the head's own details on the roster (name,
 * ID), not as a member: the head's other cells are left to fill in or dashed.
 */
export function membersTable(flow: Flow, file: HouseholdFile, blank: Blank, extraRows = 0): void {
  const widths = [58, 56, 30, 30, 66, 62, 70];
  const rest = flow.width - widths.reduce((sum, width) => sum + width, 0);
  const rows: string[][] = [
    [
      file.headName,
      '户主',
      empty(blank),
      empty(blank),
      file.idLast4,
      empty(blank),
      empty(blank),
      empty(blank),
    ],
    ...file.members.map((member) => [
      member.name,
      relationLabels[member.relation],
      member.sex === 'male' ? '男' : '女',
      String(member.age),
      member.idLast4,
      healthLabels[member.health],
      educationLabels[member.education],
      labourLabels[member.labour],
    ]),
    // Room for a member the visit finds missing.
    ...Array.from({ length: extraRows }, () => memberHeader.map(() => '')),
  ];
  flow.table(columns(memberHeader, [...widths, rest]), rows, 9.5);
}

/** 两不愁三保障 and living conditions, two checks a row: 是 or 否, or 是 / 否 to circle. */
export function livingTable(flow: Flow, file: HouseholdFile, blank: Blank): void {
  const answer = (value: boolean | undefined) =>
    value === undefined ? (blank === 'write' ? '是 / 否' : '—') : value ? '是' : '否';
  const rows: string[][] = [];
  for (let i = 0; i < livingChecks.length; i += 2) {
    const row: string[] = [];
    for (const check of livingChecks.slice(i, i + 2)) {
      row.push(livingLabels[check], answer(file.living?.[check]));
    }
    rows.push(row);
  }
  const half = flow.width / 2;
  flow.table(columns(['项目', '情况', '项目', '情况'], [half - 70, 70, half - 70, 70]), rows, 10);
}

/** Income by source for the year, its total and the per-capita figure, in yuan: two a row. */
export function incomeTable(flow: Flow, file: HouseholdFile, blank: Blank): void {
  const yuan = (fen: number | null | undefined) =>
    fen === null || fen === undefined ? empty(blank) : formatYuan(fen);
  const income = file.income;
  const total = income ? incomeSources.reduce((sum, source) => sum + income[source], 0) : null;
  const items = [
    ...incomeSources.map((source) => [incomeLabels[source], yuan(income?.[source])]),
    ['家庭年纯收入合计', yuan(total)],
    ['家庭年人均纯收入', yuan(file.perCapitaIncomeFen)],
  ];
  const rows: string[][] = [];
  for (let i = 0; i < items.length; i += 2) rows.push(items.slice(i, i + 2).flat());
  const half = flow.width / 2;
  flow.table(
    columns(['收入来源', '金额（元）', '收入来源', '金额（元）'], [half - 96, 96, half - 96, 96]),
    rows,
    10,
  );
}

export const causesText = (file: HouseholdFile, blank: Blank) =>
  file.causes.length ? file.causes.join('、') : empty(blank);

export function helperFacts(file: HouseholdFile, blank: Blank): Array<[string, string]> {
  return [
    ['帮扶责任人', file.helper?.name ?? empty(blank)],
    ['联系电话', file.helper?.phone ?? empty(blank)],
  ];
}

export function fields(flow: Flow, rows: Array<[string, string]>): void {
  for (const [label, value] of rows) flow.field(label, value);
}

/**
 * The date a household document is dated by, so that the same file prints the same bytes: its
 * latest recorded visit or change of the year, else 1 January of the year.
 */
export function documentDate(file: HouseholdFile): Date {
  const times = [
    ...file.visits.map((visit) => Date.parse(`${visit.visitedOn.slice(0, 10)}T00:00:00+08:00`)),
    ...file.changes.map((change) => Date.parse(change.at)),
  ].filter((time) => !Number.isNaN(time));
  return new Date(times.length ? Math.max(...times) : Date.UTC(file.year, 0, 1));
}
