/**
 * The contract of the callables about donors, donations, goods pledges and certificates: each one's input schema (what the
 * functions validate) and answer type (what the web client receives).
 */
import type { z } from 'zod';

export const moneyInputs = {} satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MoneyAnswers {}
