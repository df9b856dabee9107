/**
 * Certificate serials as people type them from paper. Pure and without Node or zod, so the web
 * client's verification page shares it with the verification endpoint.
 */

/**
 * Crockford's base-32 alphabet: no I, L, O or U, so a serial read aloud or typed from paper is
 * not mistaken (0/O, 1/I/L), and one mistyped anyway can be read back.
 */
export const crockfordAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const group = `[${crockfordAlphabet}]{4}`;

/** `FP-<year of issue>-XXXX-XXXX-XXXX`, e.g. `FP-2026-7K3M-9QXA-D2VE`. */
export const serialPattern = new RegExp(`^FP-\\d{4}-${group}-${group}-${group}$`);

// What people put between the groups, or what a phone's keyboard puts there: spaces of every
// width, any dash (hyphen, en and em dashes, minus, the full-width forms NFKC has not already
// folded, the katakana long mark a Japanese or Chinese keyboard offers beside them), dots,
// underscores and slashes.
const separators = /[\s\p{Pd}\u2212\u30FC\u00B7\u30FB._/\\]/gu;

/**
 * The serial a person meant, or undefined when what was typed cannot be one: NFKC (full-width
 * letters and digits become ASCII), capitals, O read as 0 and I or L as 1 (Crockford's rule),
 * separators dropped and the dashes put back where they belong. The `FP` may be left out. U,
 * which Crockford keeps out of the alphabet, is refused, as is anything of the wrong length.
 */
export function normalizeSerial(typed: string): string | undefined {
  if (typeof typed !== 'string' || typed.length > 80) return undefined;
  let compact = typed.normalize('NFKC').toUpperCase().replace(separators, '');
  // The prefix is letters of the alphabet itself; only what follows is read leniently.
  if (compact.startsWith('FP')) compact = compact.slice(2);
  compact = compact.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^\d{4}/.test(compact) || compact.length !== 16) return undefined;
  const body = compact.slice(4);
  const serial = `FP-${compact.slice(0, 4)}-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}`;
  return serialPattern.test(serial) ? serial : undefined;
}
