import { pollUntil } from './poll';

/** Figures the trigger moves after `lag` reads; sleeps are recorded, not waited. */
function laggingFigures(before: number, after: number, lag: number) {
  let reads = 0;
  const slept: number[] = [];
  return {
    read: async () => (++reads > lag ? after : before),
    sleep: async (ms: number) => void slept.push(ms),
    reads: () => reads,
    slept,
  };
}

describe('waiting for the registration figures to move', () => {
  it('stops as soon as the count reaches what was registered', async () => {
    const figures = laggingFigures(10, 11, 2);
    const result = await pollUntil(figures.read, (count) => count >= 11, {
      attempts: 8,
      delayMs: 400,
      sleep: figures.sleep,
    });
    expect(result).toEqual({ value: 11, settled: true });
    expect(figures.reads()).toBe(3);
    expect(figures.slept).toEqual([400, 400]);
  });

  it('does not wait at all when the first read already shows it', async () => {
    const figures = laggingFigures(11, 11, 0);
    const result = await pollUntil(figures.read, (count) => count >= 11, {
      attempts: 8,
      delayMs: 400,
      sleep: figures.sleep,
    });
    expect(result.settled).toBe(true);
    expect(figures.slept).toEqual([]);
  });

  it('gives up after the attempts with the latest figures, marked unsettled (更新中)', async () => {
    const figures = laggingFigures(10, 11, 100);
    const result = await pollUntil(figures.read, (count) => count >= 11, {
      attempts: 4,
      delayMs: 400,
      sleep: figures.sleep,
    });
    expect(result).toEqual({ value: 10, settled: false });
    expect(figures.reads()).toBe(4);
  });

  it('passes a failed read on to the page', async () => {
    await expect(
      pollUntil(
        () => Promise.reject(new Error('offline')),
        () => true,
        {
          attempts: 3,
          delayMs: 1,
        },
      ),
    ).rejects.toThrow('offline');
  });
});
