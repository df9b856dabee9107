/**
 * Sending a submission safely on weak signal: the same request id on every retry until the
 * server answers (see pending.ts); on a network failure the entered data stays and a 重试 button
 * sends the same request again.
 */
import { call, type CallError } from './firebase';
import type { CallableAnswer, CallableInput, CallableName } from '../../functions/src/contract';
import { h } from './dom';
import { isRetryable } from './format';
import { browserStorage, Drafts, PendingSubmissions } from './pending';
import { showError } from './app';

const storage = browserStorage();
export const pending = new PendingSubmissions(storage);
export const drafts = new Drafts(storage);

/** The callables sent through here: those whose input carries a request id. */
export type KeptCallable = {
  [N in CallableName]: 'requestId' extends keyof CallableInput<N> ? N : never;
}[CallableName];

/** A callable's input without its request id, which is added here (distributes over unions). */
export type KeptInput<N extends CallableName> =
  CallableInput<N> extends infer I ? (I extends unknown ? Omit<I, 'requestId'> : never) : never;

/**
 * Sends `data` (plus its request id) to the callable `name`. A retryable failure puts a 重试 button
 * (`retry-button`) into `retryHost`; a final refusal settles the request and calls `onRefused`
 * with the server's error, so the page can restore itself or react to `details.reason`.
 */
export async function submitSafely<N extends KeptCallable>(
  key: string,
  name: N,
  data: KeptInput<N>,
  retryHost: HTMLElement,
  onDone: (result: CallableAnswer<N>) => void | Promise<void>,
  onRefused?: (error: CallError) => void,
  fieldLabels: Record<string, string> = {},
): Promise<void> {
  const request = pending.prepare(key, data);
  let result: CallableAnswer<N>;
  try {
    // The kept request is the data given here, read back from storage after a reload.
    result = await call(name, {
      ...request.data,
      requestId: request.requestId,
    } as CallableInput<N>);
  } catch (error) {
    const failure = error as CallError;
    if (isRetryable(failure.code)) {
      const retry = h(
        'button',
        { type: 'button', class: 'secondary', 'data-testid': 'retry-button' },
        '重试（不会重复提交）',
      );
      retry.addEventListener('click', () => {
        // One send at a time; the button is replaced by whatever the answer brings.
        retry.disabled = true;
        void submitSafely(key, name, data, retryHost, onDone, onRefused, fieldLabels);
      });
      retryHost.replaceChildren(retry);
      showError(error, fieldLabels);
    } else {
      // The server answered: the request is settled, and sending it again would change nothing.
      pending.settle(key);
      showError(error, fieldLabels);
      onRefused?.(failure);
    }
    return;
  }
  pending.settle(key);
  retryHost.replaceChildren();
  await onDone(result);
}
