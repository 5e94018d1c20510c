/** Tests run the TypeScript sources directly; `npm test` needs no build. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testTimeout: 120000,
  // tfjs keeps global state (backend, registered kernels): one process per test file keeps files independent.
  maxWorkers: 2,
};
