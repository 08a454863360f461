/**
 * One project per kind of test, so `npm test` runs them all and `jest test/unit/drill` runs a part:
 * unit (pure, no I/O), integration (real PostgreSQL, moto), contract (action.yml, workflows, IAM policy),
 * e2e (the bundle of the current src/, built first by test/support/e2e-bundle.mjs when the sources changed).
 * The whole run has its own temp dir and fails when a test leaves anything in it (test/support/run-tmpdir*.mjs).
 */
const project = (name) => ({
  displayName: name,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.check.json', diagnostics: { ignoreCodes: [151002] } },
    ],
  },
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
});

/** @type {import('jest').Config} */
export default {
  projects: [
    project('unit'),
    project('integration'),
    project('contract'),
    { ...project('e2e'), globalSetup: '<rootDir>/test/support/e2e-bundle.mjs' },
  ],
  globalSetup: '<rootDir>/test/support/run-tmpdir.mjs',
  globalTeardown: '<rootDir>/test/support/run-tmpdir-check.mjs',
  testTimeout: 120000,
  maxWorkers: 2,
};
