/**
 * Fuzzing the config loader (YAML + extends + --set + matrix) with damaged genuine configs and generated ones:
 * each case resolves to configs or fails with a ConfigError whose every line names its file (or `--set`), and
 * never pollutes Object.prototype (see helpers/fuzz.ts for the conventions).
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import '../src/plugins';
import { resolveExperiments } from '../src/config';
import { ConfigError } from '../src/errors';
import { removeTempDirs, tempDir } from './helpers/data-fixtures';
import { fuzzParameters, fuzzTimeoutMs, mutatedBytes } from './helpers/fuzz';

afterAll(removeTempDirs);

const configs = path.join(tempDir(), 'configs');
fs.cpSync(path.join(__dirname, '..', 'configs'), configs, { recursive: true });

/** Resolves and accepts configs or a ConfigError whose issues each name a file (or `--set`); Object.prototype stays clean. */
function resolveOrConfigError(file: string, set: string[]): void {
  try {
    const runs = resolveExperiments(file, { set });
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(typeof run.name).toBe('string');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) if (!issue.file) throw new Error(`no file named: ${JSON.stringify(issue)}`);
  }
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
}
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

const keyPart = fc.constantFrom(
  'seed',
  'name',
  'train',
  'optimizer',
  'lr',
  'model',
  'network',
  'type',
  'matrix',
  'extends',
  '0',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
);
const keyPath = fc.array(keyPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
const yamlValue = fc.oneof(
  fc.constantFrom(
    '1',
    '-1e309',
    'null',
    '[]',
    '{}',
    '[1, 2]',
    '{type: sgd, lr: 0.1}',
    '{__proto__: {x: 1}}',
    '"str"',
    '&a [*a]',
    '!!binary x',
    '{',
  ),
  fc.string({ maxLength: 12 }),
);
const override = fc.tuple(keyPath, yamlValue).map(([key, value]) => `${key}=${value}`);
const overrides = fc.array(fc.oneof(override, fc.string({ maxLength: 16 })), { maxLength: 3 });

const GENUINE = ['quickstart.yaml', 'paper/cifar10-optimizers.yaml', 'small/cifar10-lenet.yaml', 'base/small.yaml'];
const RUNS = 25;

describe.each(GENUINE)('damaged %s', (name) => {
  it(
    'resolves or fails with config errors naming the file, with random --set overrides',
    () => {
      const file = path.join(configs, name);
      const genuine = fs.readFileSync(file);
      try {
        fc.assert(
          fc.property(mutatedBytes(genuine), overrides, ({ bytes }, set) => {
            fs.writeFileSync(file, bytes);
            resolveOrConfigError(file, set);
          }),
          fuzzParameters(RUNS),
        );
      } finally {
        fs.writeFileSync(file, genuine);
      }
    },
    fuzzTimeoutMs(RUNS),
  );
});

it(
  'generated configs with extends and matrix keys, including prototype keys, resolve or fail with config errors',
  () => {
    const dir = tempDir();
    const value: fc.Arbitrary<unknown> = fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 6 }),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    const map = fc.dictionary(keyPart, fc.oneof(value, fc.dictionary(keyPart, value, { maxKeys: 3 })), { maxKeys: 4 });
    const matrix = fc.dictionary(
      keyPath,
      fc.oneof(fc.array(value, { maxLength: 3 }), fc.dictionary(keyPart, value, { maxKeys: 2 }), value),
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(map, fc.option(matrix), fc.boolean(), overrides, (body, matrixValue, extendsQuickstart, set) => {
        const config = {
          ...(extendsQuickstart ? { extends: path.join(configs, 'quickstart.yaml') } : {}),
          ...body,
          ...(matrixValue ? { matrix: matrixValue } : {}),
        };
        const file = path.join(dir, 'generated.yaml');
        fs.writeFileSync(file, stringify(config));
        resolveOrConfigError(file, set);
      }),
      fuzzParameters(120),
    );
  },
  fuzzTimeoutMs(120),
);
