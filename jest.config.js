/**
 * Two tiers. `unit`: the pure-logic files listed below, short default timeout, `npm run test:unit` (under a
 * minute). `e2e`: every other file (CLI runs, training, backends), whose setup raises the timeout for its slow
 * tests. A new test file lands in `e2e` unless it is added to the list.
 *
 * The CLI tests run dist/: the global setup rebuilds it with tsc when src/ is newer, so jest never tests stale
 * code. ts-jest only transpiles; `npm test` type-checks first. Each test file runs in its own worker process:
 * tfjs keeps global state (backend, registered kernels).
 */
const fs = require('fs');
const path = require('path');

const unitFiles = [
  'activations',
  'bench-timeouts',
  'config',
  'configs',
  'data-pickle',
  'data-pipeline',
  'data-readers',
  'detection-augment',
  'detection-coco-eval',
  'detection-readers',
  'detection-train-config',
  'detection-voc-eval',
  'export',
  'metrics',
  'model',
  'optimizer-oracle',
  'optimizers',
  'placement',
  'plugin-throwaway',
  'progress',
  'protocol',
  'reference',
  'registry',
  'report',
  'run-clock',
  'schedules',
].map((name) => `<rootDir>/test/${name}.test.ts`);

const missing = unitFiles.filter((file) => !fs.existsSync(file.replace('<rootDir>', __dirname)));
if (missing.length) throw new Error(`jest.config.js: unit test files not found (renamed? update the list): ${missing.join(', ')}`);

const WASM_PACKAGE_TESTS = 'packages/tfjs-wasm-training/test';

const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  // The workspace package's tests run here too (e2e tier): `npm test` at the root is the one CI command.
  roots: ['<rootDir>/test', `<rootDir>/${WASM_PACKAGE_TESTS}`],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFiles: ['<rootDir>/test/helpers/environment.ts'],
};

module.exports = {
  globalSetup: path.join(__dirname, 'test', 'helpers', 'fresh-dist.js'),
  testTimeout: 15000,
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'unit', testMatch: unitFiles },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.test.ts', `<rootDir>/${WASM_PACKAGE_TESTS}/**/*.test.ts`],
      testPathIgnorePatterns: unitFiles.map((file) => `${file.replace(/\./g, '\\.')}$`),
      setupFilesAfterEnv: ['<rootDir>/test/helpers/slow-tests.ts'],
    },
  ],
};
