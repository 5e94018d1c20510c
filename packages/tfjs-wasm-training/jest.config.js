/**
 * `npm test` builds first (the WebAssembly kernels are compiled by the build; wasm-threads' child processes run
 * dist/), so jest only transpiles. Each test file runs in its own worker process: tfjs keeps global state.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testTimeout: 120000,
  maxWorkers: 2,
};
