/**
 * 建档立卡 identification (seeds 002 and 003): how a household gets onto the roster, and how the
 * yearly 动态调整 takes one off (脱贫) or back (返贫). A village's applications of one year move
 * together as a round, whose stage only moves along `roundMoves`; each application's status only
 * along `applicationMoves`. Pure: the functions and the web client both read these tables.
 */
import type { Role } from './roles';

/** 新识别 (entry) rounds add households; 动态调整 (adjustment) rounds exit or return them. */
export const roundKinds = ['entry', 'adjustment'] as const;
export type RoundKind = (typeof roundKinds)[number];

export const applicationKinds = ['entry', 'exit', 'return'] as const;
export type ApplicationKind = (typeof applicationKinds)[number];

export const applicationKindLabels: Record<ApplicationKind, string> = {
  entry: '新识别',
  exit: '脱贫退出',
  return: '返贫',
};

export function roundKindOf(kind: ApplicationKind): RoundKind {
  return kind === 'entry' ? 'entry' : 'adjustment';
}

/** `{villageCode}_{year}_{kind}`: one round of each kind per village and year (the seeds' yearly cycle). */
export function roundIdOf(villageCode: string, year: number, kind: RoundKind): string {
  return `${villageCode}_${year}_${kind}`;
}

export const roundStages = [
  /** Applications filed and surveyed (入户调查). */
  'collecting',
  /** 民主评议 recorded: the list is fixed, ready for the first notice. */
  'appraised',
  /** 第一次公示 in the village, 7 days. */
  'first_notice',
  /** 乡镇审核. */
  'township_review',
  /** The township or county returned the list with reasons: the village revises and resubmits. */
  'returned',
  /** The township approved a new-identification list: the village posts the second notice. */
  'township_approved',
  /** 第二次公示 in the village, 7 days; the township answers its objections and forwards it. */
  'second_notice',
  /** 县级审批. */
  'county_review',
  /** 公告: approved households are on the roster (or off it, for exits). */
  'announced',
] as const;
export type RoundStage = (typeof roundStages)[number];

export const roundStageLabels: Record<RoundStage, string> = {
  collecting: '申请与入户调查',
  appraised: '民主评议完成',
  first_notice: '第一次公示中',
  township_review: '乡镇审核中',
  returned: '已退回村里修改',
  township_approved: '乡镇审核通过，待第二次公示',
  second_notice: '第二次公示中',
  county_review: '县级审批中',
  announced: '已公告',
};

export const roundActions = [
  'appraise',
  'post_notice',
  'submit',
  'approve',
  'return',
  'withdraw',
] as const;
export type RoundAction = (typeof roundActions)[number];

interface RoundMove {
  action: RoundAction;
  from: RoundStage;
  to: RoundStage;
  role: Role;
  /** Only for this kind of round (both when absent). */
  kind?: RoundKind;
}

/**
 * Every move a round can make, and the one role that makes it. The village drives its list up to
 * each review; the township reviews, and concludes the second notice (whose objections it
 * answers); the county approves. An adjustment round (exits and returns) is the shorter path of
 * seed 003: one notice, then the township and the county.
 */
export const roundMoves: readonly RoundMove[] = [
  { action: 'appraise', from: 'collecting', to: 'appraised', role: 'village_admin' },
  { action: 'post_notice', from: 'appraised', to: 'first_notice', role: 'village_admin' },
  { action: 'submit', from: 'first_notice', to: 'township_review', role: 'village_admin' },
  { action: 'submit', from: 'returned', to: 'township_review', role: 'village_admin' },
  { action: 'withdraw', from: 'collecting', to: 'collecting', role: 'village_admin' },
  { action: 'withdraw', from: 'returned', to: 'returned', role: 'village_admin' },
  {
    action: 'approve',
    from: 'township_review',
    to: 'township_approved',
    role: 'township_admin',
    kind: 'entry',
  },
  {
    action: 'approve',
    from: 'township_review',
    to: 'county_review',
    role: 'township_admin',
    kind: 'adjustment',
  },
  { action: 'return', from: 'township_review', to: 'returned', role: 'township_admin' },
  {
    action: 'post_notice',
    from: 'township_approved',
    to: 'second_notice',
    role: 'village_admin',
    kind: 'entry',
  },
  { action: 'submit', from: 'second_notice', to: 'county_review', role: 'township_admin' },
  { action: 'approve', from: 'county_review', to: 'announced', role: 'county_admin' },
  { action: 'return', from: 'county_review', to: 'returned', role: 'county_admin' },
];

/** The move `action` makes from `stage` for `role`, or undefined when it cannot be made. */
export function roundMoveOf(
  action: RoundAction,
  stage: RoundStage,
  role: Role,
  kind: RoundKind,
): RoundMove | undefined {
  return roundMoves.find(
    (move) =>
      move.action === action &&
      move.from === stage &&
      move.role === role &&
      (move.kind === undefined || move.kind === kind),
  );
}

export const applicationStatuses = [
  /** Filed, not yet surveyed. */
  'filed',
  /** 入户调查 recorded. */
  'surveyed',
  /** Passed the appraisal within the quota: on the list. */
  'listed',
  /** The appraisal did not pass it (votes), or the quota was full. */
  'not_passed',
  /** 五保户/三无户: referred to 五保供养 / 低保 instead of the roster. */
  'referred',
  /** Taken off the list: an objection upheld, or withdrawn by the village with reasons. */
  'removed',
  /** Announced: on the roster (entry, return) or out of poverty (exit). */
  'enrolled',
] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export const applicationStatusLabels: Record<ApplicationStatus, string> = {
  filed: '已申请，待入户调查',
  surveyed: '已入户调查，待评议',
  listed: '评议通过，在名单上',
  not_passed: '评议未通过',
  referred: '转五保/低保',
  removed: '已移出名单',
  enrolled: '已公告',
};

/** Statuses still in play: an ID number in one of these cannot be filed again. */
export const openApplicationStatuses: readonly ApplicationStatus[] = [
  'filed',
  'surveyed',
  'listed',
];

/** The notice stages of a round and their windows (seed 003: 公示 7 days). */
export const noticeStages = ['first', 'second', 'announcement'] as const;
export type NoticeStage = (typeof noticeStages)[number];
export const noticeStageLabels: Record<NoticeStage, string> = {
  first: '第一次公示',
  second: '第二次公示',
  announcement: '公告',
};
export const noticeWindowDays = 7;
export const noticeWindowMs = noticeWindowDays * 24 * 60 * 60 * 1000;

/** Who answers objections raised in each notice: the village its own list, the township its own. */
export const objectionAnswerer: Record<'first' | 'second', Role> = {
  first: 'village_admin',
  second: 'township_admin',
};

/** The 民主评议 bodies of seed 002: the appraisal group (9–15 elected members) or the assembly. */
export const appraisalBodies = ['appraisal_group', 'representatives_assembly'] as const;
export type AppraisalBody = (typeof appraisalBodies)[number];
export const appraisalBodyLabels: Record<AppraisalBody, string> = {
  appraisal_group: '村民主评议小组',
  representatives_assembly: '村民代表大会',
};
export const presentLimits: Record<AppraisalBody, { min: number; max: number }> = {
  appraisal_group: { min: 9, max: 15 },
  representatives_assembly: { min: 5, max: 200 },
};

/** The 五比五看 of seed 002: what the survey compares against the application. */
export const surveyAspects = ['income', 'assets', 'labour', 'living', 'cause'] as const;
export type SurveyAspect = (typeof surveyAspects)[number];
export const surveyAspectLabels: Record<SurveyAspect, string> = {
  income: '比收入，看收入来源',
  assets: '比资产，看消费支出',
  labour: '比劳力，看劳动能力',
  living: '比住房，看生活条件',
  cause: '比致贫原因，看发展能力',
};

export const housingConditions = ['safe', 'old_but_safe', 'dangerous', 'none'] as const;
export type HousingCondition = (typeof housingConditions)[number];
export const housingLabels: Record<HousingCondition, string> = {
  safe: '安全住房',
  old_but_safe: '旧房但安全',
  dangerous: '危房',
  none: '无自有住房',
};

export interface AppraisalVote {
  applicationId: string;
  votesFor: number;
  votesAgainst: number;
  /** 1 = the most in need, as the meeting ranked them; unique within a meeting. */
  rank: number;
  kind: ApplicationKind;
}

export type AppraisalOutcome = 'listed' | 'not_passed' | 'over_quota';

/**
 * The appraisal's result: a household passes with more than half of those present voting for it;
 * new-identification households that passed are taken by rank until the village's remaining quota
 * (规模控制) is used, the rest are over quota. Exits and returns are not capped.
 */
export function appraisalOutcomes(
  votes: readonly AppraisalVote[],
  present: number,
  remainingQuota: number,
): Map<string, AppraisalOutcome> {
  const outcomes = new Map<string, AppraisalOutcome>();
  let left = remainingQuota;
  for (const vote of [...votes].sort((a, b) => a.rank - b.rank)) {
    const passed = vote.votesFor * 2 > present;
    if (!passed) outcomes.set(vote.applicationId, 'not_passed');
    else if (vote.kind !== 'entry') outcomes.set(vote.applicationId, 'listed');
    else if (left > 0) {
      left--;
      outcomes.set(vote.applicationId, 'listed');
    } else outcomes.set(vote.applicationId, 'over_quota');
  }
  return outcomes;
}

/**
 * Why an ID number cannot be on this application (seed 002's exclusions: 拆户、分户、空挂户):
 * already on a roster (this village's or another's), on another open application, or twice on
 * this one.
 */
export type IdConflict = 'id_on_roster' | 'id_on_application' | 'id_repeated';

export const idConflictLabels: Record<IdConflict, string> = {
  id_on_roster: '该身份证号已在建档立卡名单上（本村或其他村），不能重复识别',
  id_on_application: '该身份证号已在另一份未办结的申请中，不能重复申请',
  id_repeated: '同一身份证号在本申请中出现了两次',
};

/** The step kinds of the record, in the order a round takes them. */
export const stepKinds = [
  'filed',
  'referred',
  'surveyed',
  'appraised',
  'notice_posted',
  'objection_filed',
  'objection_answered',
  'submitted',
  'approved',
  'returned',
  'withdrawn',
  'announced',
] as const;
export type StepKind = (typeof stepKinds)[number];

export const stepLabels: Record<StepKind, string> = {
  filed: '农户申请',
  referred: '转五保/低保',
  surveyed: '入户调查',
  appraised: '民主评议',
  notice_posted: '张榜公示',
  objection_filed: '收到异议',
  objection_answered: '异议答复',
  submitted: '上报审核',
  approved: '审核通过',
  returned: '退回修改',
  withdrawn: '移出名单',
  announced: '公告',
};
