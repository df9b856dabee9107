/**
 * Waits for a local platform started as a child process (`functions/local/start.ts`) to print
 * READY, which it does only once every part answers. The tests, the fuzz run and bench:load start
 * their own instances this way, each with its own launcher and options.
 */
import type { ChildProcess } from 'node:child_process';

export interface StartingPlatform {
  /** Resolves with everything printed so far once READY is printed. */
  ready: Promise<string>;
  /** Everything the child printed, stdout and stderr, so far. */
  output: () => string;
}

export function untilReady(child: ChildProcess, timeoutMs = 180_000): StartingPlatform {
  let output = '';
  const ready = new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () =>
        fail(new Error(`the local platform did not print READY in time:\n${output.slice(-3000)}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^READY$/m.test(output)) {
        clearTimeout(timer);
        done(output);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the local platform exited (${code}) before READY:\n${output.slice(-3000)}`));
    });
  });
  // A caller that only reads the output (say, of a start meant to fail) need not await it.
  ready.catch(() => undefined);
  return { ready, output: () => output };
}
