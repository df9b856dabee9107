/**
 * The contract of the callables about needs, their evidence photos, review and the public listing: each one's input schema (what the
 * functions validate) and answer type (what the web client receives).
 */
import type { z } from 'zod';

export const needsInputs = {} satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NeedsAnswers {}
