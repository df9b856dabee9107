/**
 * The roster's columns and how a header row names them: exports differ in wording, full-width
 * brackets and asterisks marking required columns, so headers are compared normalized.
 */
import { textOf, type Cell } from './cell';
import type { FileProblem } from './result';

/** The roster's columns, by the names used in reports; each with the headers it goes by. */
export const rosterColumns = {
  headName: {
    label: '户主姓名',
    required: true,
    aliases: ['户主姓名', '户主', '户主名称', '姓名'],
  },
  idNumber: {
    label: '身份证号码',
    required: true,
    aliases: [
      '身份证号码',
      '身份证号',
      '户主身份证号码',
      '户主身份证号',
      '证件号码',
      '公民身份号码',
    ],
  },
  address: { label: '家庭住址', required: true, aliases: ['家庭住址', '家庭地址', '住址', '地址'] },
  members: {
    label: '家庭人口',
    required: true,
    aliases: ['家庭人口', '家庭人口数', '家庭人数', '人口数', '家庭人口(人)'],
  },
  causes: { label: '致贫原因', required: true, aliases: ['致贫原因', '主要致贫原因'] },
  income: {
    label: '年人均纯收入(元)',
    required: true,
    aliases: [
      '年人均纯收入(元)',
      '年人均纯收入',
      '人均纯收入(元)',
      '人均纯收入',
      '家庭年人均纯收入(元)',
    ],
  },
  status: {
    label: '贫困户状态',
    required: true,
    aliases: ['贫困户状态', '脱贫状态', '贫困状态', '户状态'],
  },
  outYear: { label: '脱贫年度', required: false, aliases: ['脱贫年度', '脱贫年份', '脱贫年'] },
  helperName: {
    label: '帮扶责任人',
    required: false,
    aliases: ['帮扶责任人', '帮扶人', '帮扶责任人姓名'],
  },
  // Not in the seeds' tables; some county exports carry it. Only headers that say whose phone:
  // a bare 联系电话 may be the household's own.
  helperPhone: {
    label: '帮扶责任人联系电话',
    required: false,
    aliases: [
      '帮扶责任人联系电话',
      '帮扶责任人电话',
      '帮扶责任人手机',
      '帮扶责任人手机号',
      '帮扶责任人手机号码',
      '帮扶人电话',
      '帮扶人联系电话',
      '帮扶人手机',
      '帮扶人手机号码',
    ],
  },
} as const;
export type RosterColumn = keyof typeof rosterColumns;

/** Exports often carry a title (and a blank line) above the header: it is looked for this far down. */
export const headerSearchRows = 10;

const normalizeHeader = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[\s*＊\uFEFF]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');

const aliasIndex = new Map<string, RosterColumn>(
  (Object.keys(rosterColumns) as RosterColumn[]).flatMap((column) =>
    rosterColumns[column].aliases.map((alias) => [normalizeHeader(alias), column] as const),
  ),
);

export interface HeaderMap {
  /** 0-based index of the header row in the grid. */
  headerRow: number;
  /** Each column's 0-based index in a row. */
  columns: Partial<Record<RosterColumn, number>>;
  ignored: string[];
  problems: FileProblem[];
}

/** The first row that names both the head of household and the ID number, with its columns. */
export function findHeader(grid: Cell[][]): HeaderMap | undefined {
  for (let r = 0; r < Math.min(grid.length, headerSearchRows); r++) {
    const cells = grid[r] ?? [];
    const columns: Partial<Record<RosterColumn, number>> = {};
    const ignored: string[] = [];
    const problems: FileProblem[] = [];
    cells.forEach((cell, index) => {
      const text = textOf(cell);
      if (!text) return;
      const column = aliasIndex.get(normalizeHeader(text));
      if (!column) {
        ignored.push(text);
      } else if (columns[column] !== undefined) {
        if (!problems.some((p) => p.column === column))
          problems.push({ code: 'column_duplicate', column });
      } else {
        columns[column] = index;
      }
    });
    if (columns.headName === undefined || columns.idNumber === undefined) continue;
    for (const column of Object.keys(rosterColumns) as RosterColumn[]) {
      if (rosterColumns[column].required && columns[column] === undefined)
        problems.push({ code: 'column_missing', column });
    }
    return { headerRow: r, columns, ignored, problems };
  }
  return undefined;
}
