/**
 * Peak memory of one scenario, measured in its own process so that figures do not mix:
 * `two-in-flight FILE…` processes the files two at a time; `one FILE` processes a single file.
 * Prints `{"peakRssMb":…,"processed":…}`.
 */
import { readFileSync } from 'node:fs';
import { processPhoto } from '../../src/domain/photos/process';

async function main(): Promise<void> {
  const [scenario, ...files] = process.argv.slice(2);
  let processed = 0;
  const run = async (file: string) => {
    const result = await processPhoto(readFileSync(file), { maxBytes: Number.POSITIVE_INFINITY });
    if (!result.ok) throw new Error(`${file} refused: ${result.reason}`);
    processed++;
  };
  if (scenario === 'two-in-flight') {
    const queue = [...files];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) await run(file);
    };
    await Promise.all([worker(), worker()]);
  } else {
    await run(files[0] as string);
  }
  // maxRSS is in kilobytes on Linux.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ peakRssMb, processed }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
