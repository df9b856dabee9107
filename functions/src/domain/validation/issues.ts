/**
 * What a client is told of invalid input: field paths and codes. Apart from lib/callable.ts, which
 * imports Firebase, so that domain tests check the very mapping the client gets.
 */
import type { z } from 'zod';

/** Field paths and issue codes of a zod failure (none without one); never the submitted values. */
export function issuesOf(error: z.ZodError | undefined): Array<{ path: string; code: string }> {
  return (error?.issues ?? []).flatMap((issue) => {
    const path = issue.path.map(String);
    // An unknown key is reported at its own path, so the client can point at it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), code: issue.code }));
    }
    return [
      {
        path: path.join('.'),
        code: issue.code === 'custom' ? String(issue.params?.code ?? 'custom') : issue.code,
      },
    ];
  });
}
