/**
 * A need's category (seed 000's seven, in publishing priority) and the 两不愁三保障 guarantee it
 * serves: which guarantee each category may serve.
 */
/** The seven categories, in the order seed 000 gives them: the order of publishing priority. */
export const needCategories = [
  'education',
  'medical',
  'housing',
  'industry',
  'employment',
  'skills',
  'necessities',
] as const;
export type NeedCategory = (typeof needCategories)[number];

export const needCategoryLabels: Record<NeedCategory, string> = {
  education: '教育助学',
  medical: '医疗救助',
  housing: '危房改造',
  industry: '产业发展',
  employment: '转移就业',
  skills: '技能培训',
  necessities: '生活必需品',
};

/** 两不愁三保障: not worrying about food or clothing; compulsory education, basic medical care and safe housing assured. */
export const guarantees = [
  'food',
  'clothing',
  'compulsory_education',
  'basic_medical',
  'safe_housing',
] as const;
export type Guarantee = (typeof guarantees)[number];

export const guaranteeLabels: Record<Guarantee, string> = {
  food: '不愁吃',
  clothing: '不愁穿',
  compulsory_education: '义务教育有保障',
  basic_medical: '基本医疗有保障',
  safe_housing: '住房安全有保障',
};

/**
 * Which guarantee a need of each category may serve, and the one it serves by default.
 *
 * Education, medical aid and house renovation are the three 保障 themselves, so they imply their
 * guarantee and may name no other. Daily necessities serve food or clothing, and the collector
 * says which. Industry, job transfer and skills training are development measures: seed 000
 * lists them for priority, yet publishes only needs inside 两不愁三保障, so we accept them only
 * when the collector states the food or clothing security they secure for the household (seedlings
 * or livestock that feed it, a job or a skill whose income pays for food and clothes). A
 * development need with no such purpose (a business loan, a car) is outside the rule and refused
 * with `need_outside_guarantees`; the reviewer still judges whether the stated purpose is true.
 */
export const guaranteeRules: Record<
  NeedCategory,
  { allowed: readonly Guarantee[]; implied?: Guarantee }
> = {
  education: { allowed: ['compulsory_education'], implied: 'compulsory_education' },
  medical: { allowed: ['basic_medical'], implied: 'basic_medical' },
  housing: { allowed: ['safe_housing'], implied: 'safe_housing' },
  necessities: { allowed: ['food', 'clothing'] },
  industry: { allowed: ['food', 'clothing'] },
  employment: { allowed: ['food', 'clothing'] },
  skills: { allowed: ['food', 'clothing'] },
};

export type GuaranteeProblem = 'need_outside_guarantees' | 'need_guarantee_mismatch';

/** The guarantee a need serves, or why it serves none the category allows. */
export function resolveGuarantee(
  category: NeedCategory,
  guarantee: Guarantee | undefined,
): { guarantee: Guarantee } | { problem: GuaranteeProblem } {
  const rule = guaranteeRules[category];
  if (guarantee === undefined) {
    return rule.implied ? { guarantee: rule.implied } : { problem: 'need_outside_guarantees' };
  }
  return rule.allowed.includes(guarantee) ? { guarantee } : { problem: 'need_guarantee_mismatch' };
}
