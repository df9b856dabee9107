/**
 * 结对帮扶 from the roster: the 帮扶责任人 a row names is matched to the helpers appointed in the
 * village. Nothing is guessed: a name (and phone, when the file gives one) that fits no active
 * helper, or fits several, assigns nobody and is reported.
 */

/** An appointed helper of the village, as the matcher needs them. */
export interface VillageHelper {
  uid: string;
  name: string;
  phone?: string | undefined;
  active: boolean;
}

export type HelperMatch =
  | { kind: 'none' }
  | { kind: 'assigned'; uid: string; name: string }
  | { kind: 'helper_unknown' }
  | { kind: 'helper_ambiguous' };

/** Names compared as written in different exports: full-width forms and spaces do not count. */
export const normalizedPersonName = (name: string): string =>
  name.normalize('NFKC').replace(/\s/g, '');

/** A mainland mobile number's 11 digits, however written (+86, spaces, dashes); undefined if not one. */
export function mobileDigitsOf(phone: string): string | undefined {
  const digits = phone
    .normalize('NFKC')
    .replace(/[\s-]/g, '')
    .replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

/**
 * The helper a row names: by name among the village's active helpers, narrowed by phone when the
 * row gives one. A blank name is `none` (the row says nothing about the helper).
 */
export function matchHelper(
  named: { name: string | null; phone?: string | null },
  helpers: readonly VillageHelper[],
): HelperMatch {
  if (!named.name) return { kind: 'none' };
  const name = normalizedPersonName(named.name);
  let candidates = helpers.filter(
    (helper) => helper.active && normalizedPersonName(helper.name) === name,
  );
  const phone = named.phone ? mobileDigitsOf(named.phone) : undefined;
  if (named.phone) {
    candidates = candidates.filter(
      (helper) => phone !== undefined && helper.phone && mobileDigitsOf(helper.phone) === phone,
    );
  }
  const [only, ...others] = candidates;
  if (!only) return { kind: 'helper_unknown' };
  if (others.length > 0) return { kind: 'helper_ambiguous' };
  return { kind: 'assigned', uid: only.uid, name: only.name };
}
