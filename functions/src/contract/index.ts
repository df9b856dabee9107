/**
 * The API contract between the functions and the web client: every callable's input schema and
 * answer type, by the callable's name. The functions validate with these schemas (lib/callable.ts
 * looks a callable's schema up by its name) and must return the declared answer; the web client
 * imports the types only (`import type`), so its bundle carries none of this, and its `call` is
 * typed by the callable's name. Nothing here may import Firebase or Node: the web build compiles it.
 */
import type { z } from 'zod';
import { householdFileInputs, type HouseholdFileAnswers } from './householdFile';
import { householdsInputs, type HouseholdsAnswers } from './households';
import { identificationInputs, type IdentificationAnswers } from './identification';
import { moneyInputs, type MoneyAnswers } from './money';
import { needsInputs, type NeedsAnswers } from './needs';

export const callableInputSchemas = {
  ...needsInputs,
  ...moneyInputs,
  ...householdsInputs,
  ...identificationInputs,
  ...householdFileInputs,
};

export interface CallableAnswers
  extends
    NeedsAnswers,
    MoneyAnswers,
    HouseholdsAnswers,
    IdentificationAnswers,
    HouseholdFileAnswers {}

type Schemas = typeof callableInputSchemas;

export type CallableName = keyof Schemas & keyof CallableAnswers;
/** What the client sends. */
export type CallableInput<N extends CallableName> = z.input<Schemas[N]>;
/** What the handler receives, after validation (defaults applied, text normalised). */
export type CallableParsedInput<N extends CallableName> = z.output<Schemas[N]>;
export type CallableAnswer<N extends CallableName> = CallableAnswers[N];
