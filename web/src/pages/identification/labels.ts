/**
 * What the identification pages show in Chinese and which buttons a round's stage allows. The
 * stages, moves and labels come from the pure domain module; the member fields' values are
 * mirrored from the contract here, because the contract module's values bring zod into the page
 * (the server refuses anything else with the field named, so a drift shows at once).
 */
import {
  applicationKindLabels,
  applicationStatusLabels,
  noticeStageLabels,
  roundMoveOf,
  roundStageLabels,
  type RoundAction,
  type RoundKind,
  type RoundStage,
} from '../../../../functions/src/domain/identification';
import type { Role } from '../../../../functions/src/domain/roles';
import type { MemberInput } from '../../../../functions/src/contract/identification';
import { issueText } from '../../format';
import { h } from '../../dom';

export const roundKindLabels: Record<RoundKind, string> = {
  entry: '新识别',
  adjustment: '动态调整（脱贫退出、返贫）',
};

/** What a round waits for from the signed-in office (`RoundSummary.nextAction`). */
export const nextActionLabels: Record<string, string> = {
  appraise: '入户调查后民主评议',
  post_notice: '张榜公示',
  submit: '公示期满后上报',
  approve: '审核（通过或退回）',
  return: '审核（通过或退回）',
  withdraw: '修改名单',
};

export const relationLabels: Record<MemberInput['relation'], string> = {
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  sibling: '兄弟姐妹',
  other: '其他',
};

export const healthLabels: Record<MemberInput['health'], string> = {
  healthy: '健康',
  chronic: '长期慢性病',
  serious: '患有大病',
  disabled: '残疾',
};

export const educationLabels: Record<MemberInput['education'], string> = {
  none: '文盲或半文盲',
  primary: '小学',
  junior: '初中',
  senior: '高中（中专）',
  college: '大专及以上',
  in_school: '在校生',
  preschool: '学龄前儿童',
};

export const labourLabels: Record<MemberInput['labour'], string> = {
  full: '普通劳动力',
  partial: '弱劳动力或半劳动力',
  none: '无劳动力',
};

/** The fields of the identification forms, for the errors the server names. */
export const fieldLabels: Record<string, string> = {
  headName: '户主姓名',
  headIdNumber: '户主身份证号码',
  members: '家庭成员',
  name: '姓名',
  idNumber: '身份证号码',
  relation: '与户主关系',
  health: '健康状况',
  education: '文化程度',
  labour: '劳动能力',
  annualIncomeFen: '上年家庭纯收入',
  housing: '住房情况',
  claimedCause: '主要致贫原因',
  situation: '家庭情况',
  wubao: '五保户/三无户',
  appliedOn: '申请日期',
  householdId: '贫困户',
  visitedOn: '入户调查日期',
  findings: '五比五看',
  eligible: '调查结论',
  heldOn: '评议日期',
  body: '评议组织',
  present: '参会人员',
  results: '评议结果',
  contactPhone: '乡镇联系电话',
  text: '异议内容',
  reasons: '理由',
  quota: '规模',
  votesFor: '赞成票',
  votesAgainst: '反对票',
  rank: '排序',
  applicationId: '农户',
  photoIds: '现场照片',
  year: '年度',
};

/** Issue codes of these forms that format.ts does not word. */
const extraIssueTexts: Record<string, string> = {
  phone_format: '电话号码格式不对（座机如 0857-1234567，或手机号）',
  id_on_roster: '该身份证号已在建档立卡名单上（本村或其他村），不能重复识别',
  id_on_application: '该身份证号已在另一份未办结的申请中，不能重复申请',
  id_repeated: '同一身份证号在本申请中出现了两次',
  situation_number: '不能填写身份证、银行卡或电话号码',
  note_empty: '请写明核实的情况',
  not_on_notice: '请从公示名单中选择农户',
  present_appraisal_group: '村民主评议小组应有9至15人参加',
  present_representatives_assembly: '村民代表大会参会人数不足（至少5人）',
  present_repeated: '参会人员有重名，请核对',
  application_unknown: '该户不在待评议的申请中，请刷新页面',
  rank_repeated: '排序不能重复',
  votes_exceed_present: '赞成票与反对票之和超过参会人数',
  results_incomplete: '每一户已入户调查的申请都要有评议结果',
};

/** One `{path, code}` issue in Chinese, with the last named field of its path. */
export function identificationIssueText(issue: { path: string; code: string }): string {
  const parts = issue.path.split('.');
  const named = [...parts].reverse().find((part) => fieldLabels[part]);
  const text = extraIssueTexts[issue.code];
  if (text) return named ? `${fieldLabels[named]}：${text}` : text;
  return issueText({ path: named ?? issue.path, code: issue.code }, fieldLabels);
}

const decisionTexts: Record<string, string> = {
  ...applicationKindLabels,
  ...applicationStatusLabels,
  ...noticeStageLabels,
  ...roundStageLabels,
  eligible: '符合条件',
  not_eligible: '不符合条件',
  over_quota: '超出规模',
  approve: '通过',
  return: '退回',
  upheld: '异议成立',
  dismissed: '异议不成立',
};

/** A step's recorded decision (a status, stage or outcome code) in Chinese; unknown ones as sent. */
export function decisionText(decision: string): string {
  const listed = /^listed (\d+)$/.exec(decision);
  if (listed) return `列入名单 ${listed[1]} 户`;
  return decisionTexts[decision] ?? decision;
}

/** Whether `role` may make `action` on a round in `stage` (the domain's table, as the server). */
export function canMove(
  action: RoundAction,
  stage: RoundStage,
  role: string,
  kind: RoundKind,
): boolean {
  return roundMoveOf(action, stage, role as Role, kind) !== undefined;
}

/**
 * The township office's number as people read it: 0857-6231234 (Beijing's and the 02x cities'
 * area codes have three digits, the others four), a mobile as 138 0000 0001.
 */
export function contactPhoneDisplay(number: string): string {
  if (/^1\d{10}$/.test(number))
    return `${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`;
  if (!/^0\d{9,11}$/.test(number)) return number;
  const area = /^0(10|2\d)/.test(number) ? 3 : 4;
  return `${number.slice(0, area)}-${number.slice(area)}`;
}

/** The current year in China (UTC+8): the rounds' year. */
export function chinaYear(): number {
  return new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
}

/**
 * Field errors shown beside their fields: each field registered under its path (`headName`,
 * `members.0.idNumber`) gets a line after it; an issue whose path names no registered field is
 * shown on its nearest registered parent, or else in the form's own line.
 */
export class FieldErrors {
  private readonly lines = new Map<string, HTMLElement>();
  readonly formLine = h('p', {
    class: 'warn',
    role: 'alert',
    'data-testid': 'form-error',
    hidden: true,
  });

  /** The field, followed by its (hidden) error line. */
  field(path: string, element: HTMLElement): HTMLElement[] {
    const line = h('p', {
      class: 'field-error',
      'data-testid': 'field-error',
      'data-path': path,
      hidden: true,
    });
    this.lines.set(path, line);
    return [element, line];
  }

  forget(prefix: string): void {
    for (const path of [...this.lines.keys()]) {
      if (path === prefix || path.startsWith(`${prefix}.`)) this.lines.delete(path);
    }
  }

  clear(): void {
    for (const line of this.lines.values()) line.hidden = true;
    this.formLine.hidden = true;
  }

  /** Shows the issues; true when there were any. */
  show(issues: ReadonlyArray<{ path: string; code: string }>): boolean {
    this.clear();
    const unplaced: string[] = [];
    const texts = new Map<HTMLElement, string[]>();
    for (const issue of issues) {
      const parts = issue.path.split('.');
      let line: HTMLElement | undefined;
      while (parts.length > 0 && !line) {
        line = this.lines.get(parts.join('.'));
        parts.pop();
      }
      const text = identificationIssueText(issue);
      if (line) texts.set(line, [...(texts.get(line) ?? []), text]);
      else unplaced.push(text);
    }
    for (const [line, list] of texts) {
      line.textContent = list.join('；');
      line.hidden = false;
    }
    if (unplaced.length) {
      this.formLine.textContent = unplaced.join('；');
      this.formLine.hidden = false;
    }
    const first = [...texts.keys()][0];
    first?.previousElementSibling?.scrollIntoView?.({ block: 'center' });
    return issues.length > 0;
  }

  /** A refusal without field issues (a failed precondition): the server's sentence. */
  say(text: string): void {
    this.clear();
    this.formLine.textContent = text;
    this.formLine.hidden = false;
  }
}
