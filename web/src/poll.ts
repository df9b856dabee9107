/**
 * Looking again until something moves: figures kept by a trigger change a moment after the write
 * that caused them, so the page asks a few times, briefly, and then says it is still updating.
 */
export interface PollOptions {
  attempts: number;
  delayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PollResult<T> {
  value: T;
  /** False when the attempts ran out before `done` held: the page shows "更新中". */
  settled: boolean;
}

/** Calls `read` until `done(value)` holds or the attempts run out; the last value either way. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  {
    attempts,
    delayMs,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }: PollOptions,
): Promise<PollResult<T>> {
  let value = await read();
  for (let attempt = 1; attempt < attempts && !done(value); attempt++) {
    await sleep(delayMs);
    value = await read();
  }
  return { value, settled: done(value) };
}
