/** The functions' version, from their package manifest (bundled with every deploy). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const version: string = require('../package.json').version ?? '0.0.0';
