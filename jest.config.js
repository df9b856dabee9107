/**
 * Two projects: `unit` runs pure code beside its source with no server; `platform` runs against
 * the local platform (Firestore-protocol server, Auth emulator, functions host, web client),
 * started once for the whole run by test/support/globalSetup.ts.
 */
// Transpile only (the type-checker runs separately in `npm test`), with the project's tsconfig.
const transform = { '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, diagnostics: false }] };

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: [
        '<rootDir>/functions/src/**/*.test.ts',
        '<rootDir>/functions/local/**/*.test.ts',
        '<rootDir>/web/src/**/*.test.ts',
      ],
    },
    {
      displayName: 'platform',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/globalSetup.ts',
      globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
      setupFiles: ['<rootDir>/test/support/env.ts'],
    },
  ],
};
