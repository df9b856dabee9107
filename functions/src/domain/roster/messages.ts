/**
 * What a cadre reads when a roster file is refused as a whole: each file problem in Chinese,
 * saying what to change. Pure, so the web client can import it with the answer's types.
 */
import { rosterColumns } from './columns';
import type { FileProblem, FileProblemCode } from './result';

const texts: Record<FileProblemCode, (problem: FileProblem) => string> = {
  file_too_large: () => '文件太大（超过 5 MB，或解压后超过 64 MB）：请只保留花名册工作表后重新导出',
  file_unreadable: () => '文件无法读取：请确认是未加密、未损坏的 Excel（.xlsx）或 CSV 文件',
  header_not_found: () => '前 10 行中没有找到表头：表头至少要有“户主姓名”和“身份证号码”两列',
  column_missing: (p) => `缺少“${p.column ? rosterColumns[p.column].label : ''}”列`,
  column_duplicate: (p) => `“${p.column ? rosterColumns[p.column].label : ''}”列出现了不止一次`,
  no_rows: () => '表头下面没有贫困户的数据',
  too_many_rows: () => '贫困户数超过上限：请分村导入',
  table_too_long: (p) =>
    `表格超过 ${p.limit ?? ''} 行（空行和设置了格式的行也算在内）：请删除表格下方多余的行后重新导入`,
  table_too_wide: (p) =>
    `表格超过 ${p.limit ?? ''} 列（空列和设置了格式的列也算在内）：请删除表格右侧多余的列后重新导入`,
  too_many_merges: (p) =>
    `合并单元格超过 ${p.limit ?? ''} 处：请取消不需要的合并单元格，或只保留花名册工作表后重新导入`,
};

/** A file problem as the import page shows it. */
export function fileProblemText(problem: FileProblem): string {
  return texts[problem.code](problem);
}

/** Why a row's 帮扶责任人 was not assigned, as the import page shows it next to the row number. */
export const helperProblemTexts: Record<'helper_unknown' | 'helper_ambiguous', string> = {
  helper_unknown:
    '帮扶责任人不是本村在任的帮扶责任人（姓名或电话对不上）：该户暂未结对，请先由镇里任命，或在“结对帮扶”中指定',
  helper_ambiguous: '本村有不止一名同名的帮扶责任人：该户暂未结对，请在“结对帮扶”中指定',
};
