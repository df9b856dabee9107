import { z } from 'zod';
import { canonicalIdNumber, idNumberProblem } from '../idNumber';

const chinaOffsetMs = 8 * 3600 * 1000;

/**
 * Today's date in China as a UTC instant at the same wall-clock time: birth dates and review
 * dates are calendar dates in Beijing time, so a child born this morning in Guizhou is not "in
 * the future" while it is still yesterday in UTC.
 */
export function chinaNow(now: Date = new Date()): Date {
  return new Date(now.getTime() + chinaOffsetMs);
}

/** The calendar date in China (UTC+8) of an instant, `YYYY-MM-DD`: issue and report dates. */
export function chinaDateOf(instant: Date = new Date()): string {
  return chinaNow(instant).toISOString().slice(0, 10);
}

/**
 * A resident ID number (GB 11643) as typed: full-width digits, lower-case x and surrounding
 * spaces accepted; the output is the canonical 18 characters. Issue codes: `id_format`,
 * `id_birth_date` (not a real date, before 1900 or in the future), `id_check_char`.
 * `now` is read at parse time (a schema lives as long as the process).
 */
export function idNumberSchemaAt(now: () => Date = () => new Date()) {
  return z.string().transform((raw, ctx) => {
    const id = canonicalIdNumber(raw);
    const problem = idNumberProblem(id, chinaNow(now()));
    if (!problem) return id;
    ctx.addIssue({ code: 'custom', message: problem, params: { code: problem } });
    return z.NEVER;
  });
}

/** {@link idNumberSchemaAt} against the real clock. */
export const idNumberSchema = idNumberSchemaAt();
