import { callableInputSchemas } from '.';

/**
 * The web client calls by the contract's names and the functions answer by their export names:
 * a callable missing from either side is a page that fails in production with `not-found`.
 */
test('every exported callable has its contract entry, and every contract entry its callable', async () => {
  // Loading the functions needs the project's bucket, as a deploy gives it (no server is reached).
  process.env.FIREBASE_CONFIG = JSON.stringify({
    projectId: 'demo-fupin',
    storageBucket: 'demo-fupin.appspot.com',
  });
  const exported = (await import('../index')) as Record<string, unknown>;
  const callables = Object.entries(exported)
    .filter(
      ([, fn]) =>
        (fn as { __endpoint?: { callableTrigger?: unknown } }).__endpoint?.callableTrigger,
    )
    .map(([name]) => name)
    .sort();
  expect(callables.length).toBeGreaterThan(40);
  expect(callables).toEqual(Object.keys(callableInputSchemas).sort());
});
