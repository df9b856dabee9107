/** Rejection reasons (村审核小组意见: 不同意发布，如不同意要简单列举原因). */

export const rejectionReasons = [
  'outside_guarantees',
  'stably_out',
  'duplicate',
  'information_false',
  'evidence_insufficient',
  'elements_incomplete',
  'not_household_request',
  'unreasonable',
  'already_covered',
  'other',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export const rejectionReasonLabels: Record<RejectionReason, string> = {
  outside_guarantees: '不属于“两不愁、三保障”范围',
  stably_out: '已稳定脱贫',
  duplicate: '重复申请',
  information_false: '信息不实',
  evidence_insufficient: '佐证材料不足',
  elements_incomplete: '七要素不全',
  not_household_request: '非贫困户本人申请',
  unreasonable: '需求金额或数量不合理',
  already_covered: '已由政策或其他帮扶解决',
  other: '其他原因',
};
