/**
 * For `npm run emulators` (the official Emulator Suite, on machines with Java 21): writes the
 * web client's `local.json` so it connects to the suite's Auth and Functions emulators at the
 * ports in firebase.json. No demo accounts: the official suite starts empty.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const { emulators } = JSON.parse(readFileSync(resolve(root, 'firebase.json'), 'utf8')) as {
  emulators: { auth: { port: number }; functions: { port: number } };
};
writeFileSync(
  resolve(root, 'web/dist/local.json'),
  JSON.stringify({
    projectId: 'demo-fupin',
    apiKey: 'demo-api-key',
    authEmulatorUrl: `http://127.0.0.1:${emulators.auth.port}`,
    functionsEmulator: { host: '127.0.0.1', port: emulators.functions.port },
    region: 'asia-east2',
    demoAccounts: [],
    demoDonorPhones: [],
  }),
);
console.log('wrote web/dist/local.json for the official emulators');
