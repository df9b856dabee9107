/** What the certificate trigger and callables share: where the files live and how long their links last. */

/** Download links last this long: enough to save the file, too short to pass around. */
export const fileLinkTtlMs = 10 * 60_000;

/** Where a certificate's files live: one path per serial, so a re-run rewrites, never adds. */
export function certificatePaths(serial: string) {
  return { pdfPath: `certificates/${serial}.pdf`, pngPath: `certificates/${serial}.png` };
}
