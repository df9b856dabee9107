/** What the certificate callables share. */

/** Download links last this long: enough to save the file, too short to pass around. */
export const fileLinkTtlMs = 10 * 60_000;
