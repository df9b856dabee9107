/**
 * Sending an identification step: retry-safe with a request id kept across retries (submit.ts),
 * and a refusal's field issues shown beside the fields they name.
 */
import type { CallableAnswer } from '../../../../functions/src/contract';
import { errorText } from '../../format';
import { submitSafely, type KeptCallable, type KeptInput } from '../../submit';
import { fieldLabels, type FieldErrors } from './labels';

export function send<N extends KeptCallable>(
  key: string,
  name: N,
  data: KeptInput<N>,
  retryHost: HTMLElement,
  errors: FieldErrors | undefined,
  onDone: (result: CallableAnswer<N>) => void | Promise<void>,
  onRefused?: () => void,
): Promise<void> {
  errors?.clear();
  return submitSafely(
    key,
    name,
    data,
    retryHost,
    onDone,
    (error) => {
      const issues = error.details?.issues ?? [];
      if (errors) {
        if (issues.length) errors.show(issues);
        else errors.say(errorText(error));
      }
      onRefused?.();
    },
    fieldLabels,
  );
}
