import { z } from 'zod';
import { chinaDateOf } from './idNumber';

/** A client request id: one per user action, reused on retry, so the action takes effect once. */
export const requestIdSchema = z.uuid();

/**
 * A Firestore document id the client names (household, need). Firestore reserves ids matching
 * `__.*__` (it answers them slowly, then with an error), so they are refused here; `.`, `..` and
 * `/` never match the alphabet.
 */
export const docIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .refine((id) => !/^__.*__$/.test(id), { params: { code: 'reserved_id' } });

/** An uploaded evidence photo's id (the uploads collection uses UUIDs). */
export const photoIdSchema = z.uuid();

export type DateProblem = 'date_format' | 'date_invalid' | 'date_future' | 'date_too_old';

/** The earliest date the platform records: it opened in 2017. */
export const earliestDate = '2017-01-01';

/** Why `YYYY-MM-DD` is not a real calendar date between 2017 and today in China. */
export function calendarDateProblem(
  value: string,
  now: Date = new Date(),
): DateProblem | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return 'date_format';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  )
    return 'date_invalid';
  if (value > chinaDateOf(now)) return 'date_future';
  if (value < earliestDate) return 'date_too_old';
  return undefined;
}

/** A past or present calendar date `YYYY-MM-DD` (China time), e.g. the day of a home visit. */
export function pastDateSchemaAt(now: () => Date = () => new Date()) {
  return z.string().superRefine((value, ctx) => {
    const problem = calendarDateProblem(value, now());
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: problem } });
  });
}

export const pastDateSchema = pastDateSchemaAt();
