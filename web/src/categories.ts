/**
 * The need categories, for the village's capture form and the donors' filter alike: the server's
 * own list and labels (a pure domain module), as [code, label] pairs in publishing order. A module
 * of its own so that the village pages, in the first chunk, do not pull in the donors' wording.
 */
import {
  needCategories as categoryCodes,
  needCategoryLabels,
  type NeedCategory,
} from '../../functions/src/domain/need/categories';

/** The seven categories of seed 000, in their publishing order. */
export const needCategories: ReadonlyArray<readonly [NeedCategory, string]> = categoryCodes.map(
  (code) => [code, needCategoryLabels[code]] as const,
);
