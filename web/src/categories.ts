/**
 * The need categories, for the village's capture form and the donors' filter alike. A module of
 * its own so that the village pages, in the first chunk, do not pull in the donors' wording.
 */
/** The seven categories of seed 000, in their publishing order. */
export const needCategories: ReadonlyArray<readonly [string, string]> = [
  ['education', '教育助学'],
  ['medical', '医疗救助'],
  ['housing', '危房改造'],
  ['industry', '产业发展'],
  ['employment', '转移就业'],
  ['skills', '技能培训'],
  ['necessities', '生活必需品'],
];
