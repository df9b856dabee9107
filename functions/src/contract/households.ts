/**
 * The contract of the callables about households, the roster, staff, home visits, regions and rates: each one's input schema (what the
 * functions validate) and answer type (what the web client receives).
 */
import type { z } from 'zod';

export const householdsInputs = {} satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HouseholdsAnswers {}
