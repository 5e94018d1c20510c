/**
 * `npm test` type-checks and builds with tsc first (the CLI tests run dist/), so jest only transpiles.
 * Each test file runs in its own worker process: tfjs keeps global state (backend, registered kernels).
 */
module.exports = {
  testEnvironment: 'node',
  // The workspace package's own tests run here too: `npm test` at the root is the one CI command.
  roots: ['<rootDir>/test', '<rootDir>/packages/tfjs-wasm-training/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFiles: ['<rootDir>/test/helpers/environment.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
