/**
 * Regression cases for prototype pollution (issue 15, item 3): `__proto__`, `constructor` and `prototype` in a
 * `--set` key path or value, a matrix key, a YAML key (in the file or a file it extends) are config errors naming
 * the key path; merging never writes through them and Object.prototype stays clean.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resolveExperiments } from '../src/config';
import { deepMerge } from '../src/config/merge';
import { ConfigError } from '../src/errors';
import { acaf } from './helpers/cli';
import { registerConfigTestPlugins } from './helpers/config-plugins';
import { removeTempDirs, tempDir } from './helpers/data-fixtures';

registerConfigTestPlugins();
afterAll(removeTempDirs);

const MESSAGE = /is not allowed as a key \(__proto__, constructor and prototype would write through to a prototype\)$/;

let dir: string;
beforeAll(() => {
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'ok.yaml'), 'name: ok\ndata: { type: test-data }\nmodel: { network: { type: test-net } }\n');
});

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

/** The config error lines of resolving `file` with `set`; Object.prototype must be untouched afterwards. */
function problems(file: string, set: string[] = []): string[] {
  let caught: unknown;
  try {
    resolveExperiments(file, { set });
  } catch (error) {
    caught = error;
  }
  for (const key of ['polluted', 'x']) expect(Object.prototype).not.toHaveProperty(key);
  expect(caught).toBeInstanceOf(ConfigError);
  return (caught as Error).message.split('\n');
}

it('acaf validate ok.yaml --set __proto__.polluted=1: one line, exit 2, no stack trace', () => {
  const result = acaf(['validate', path.join(dir, 'ok.yaml'), '--set', '__proto__.polluted=1']);
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toEqual([
    "acaf: --set __proto__.polluted=1: __proto__.polluted: '__proto__' is not allowed as a key (__proto__, constructor and prototype would write through to a prototype)",
  ]);
});

it('acaf validate of a matrix keyed __proto__.polluted: one line naming the file, line and key path', () => {
  const file = write('matrix.yaml', 'extends: ok.yaml\nmatrix:\n  __proto__.polluted: [1, 2]\n');
  const result = acaf(['validate', file]);
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^acaf: .*matrix\.yaml:3: matrix\.__proto__\.polluted: '__proto__' /),
  ]);
  expect(result.stderr).not.toMatch(/internal error|forEach/);
});

it.each([
  ['__proto__.polluted=1', /^--set __proto__\.polluted=1: __proto__\.polluted: '__proto__' /],
  ['constructor.prototype.polluted=1', /: constructor\.prototype\.polluted: 'constructor' /],
  ['model.network.prototype=1', /: model\.network\.prototype: 'prototype' /],
  ['model.network.constructor.x=1', /: model\.network\.constructor\.x: 'constructor' /],
  ['model={__proto__: {polluted: 1}}', /: model\.__proto__: '__proto__' /],
  ['train.optimizer={type: test-opt, constructor: {prototype: {x: 1}}}', /: train\.optimizer\.constructor: 'constructor' /],
])('--set %s', (override, pattern) => {
  const lines = problems(path.join(dir, 'ok.yaml'), [override]);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).toMatch(MESSAGE);
});

it.each([
  ['a top-level YAML key', '__proto__: { polluted: 1 }\n', /x\.yaml:2: __proto__: '__proto__' /],
  [
    'a nested YAML key',
    'model: { network: { type: test-net, constructor: 1 } }\n',
    /x\.yaml:2: model\.network\.constructor: 'constructor' /,
  ],
  ['a key in a list item', 'eval: { metrics: [{ type: m, prototype: 1 }] }\n', /x\.yaml:2: eval\.metrics\.0\.prototype: 'prototype' /],
  ['a matrix key path', 'matrix: { model.__proto__.x: [1, 2] }\n', /x\.yaml:2: matrix\.model\.__proto__\.x: '__proto__' /],
  ['a matrix key ending in constructor', 'matrix:\n  seed.constructor: [1]\n', /x\.yaml:3: matrix\.seed\.constructor: 'constructor' /],
  [
    'a matrix value',
    'matrix:\n  train.optimizer: [{ type: test-opt, __proto__: { x: 1 } }]\n',
    /x\.yaml:3: matrix\.train\.optimizer\.0\.__proto__: '__proto__' /,
  ],
  [
    'a labelled matrix value',
    'matrix:\n  model.network: { a: { prototype: 1 } }\n',
    /x\.yaml:3: matrix\.model\.network\.a\.prototype: 'prototype' /,
  ],
])('%s in a file', (_, text, pattern) => {
  const lines = problems(write('x.yaml', `extends: ok.yaml\n${text}`));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).toMatch(MESSAGE);
});

it('a __proto__ key in an extended file names that file', () => {
  write('base.yaml', 'seed: 3\ntrain:\n  __proto__: { polluted: 1 }\n');
  const lines = problems(write('child.yaml', 'extends: [ok.yaml, base.yaml]\nseed: 4\n'));
  expect(lines).toEqual([expect.stringMatching(/base\.yaml:3: train\.__proto__: '__proto__' /)]);
});

it('merging refuses a prototype key that reaches it some other way (JSON), and never writes through it', () => {
  const override = JSON.parse('{ "model": { "__proto__": { "polluted": 1 } } }');
  const merge = () => deepMerge({ model: { network: 1 } }, override, { base: new Map(), override: new Map() });
  expect(merge).toThrow(ConfigError);
  expect(merge).toThrow(/^model\.__proto__: '__proto__' is not allowed as a key/);
  expect(Object.prototype).not.toHaveProperty('polluted');
});

it('merging and --set see only own keys: toString, valueOf and hasOwnProperty are ordinary new keys', () => {
  const { value } = deepMerge({ a: 1 }, { toString: { b: 2 } }, { base: new Map(), override: new Map() });
  expect(value).toEqual({ a: 1, toString: { b: 2 } });
  const lines = problems(path.join(dir, 'ok.yaml'), ['data.valueOf.x=1']);
  // Before, valueOf was found on the prototype: "cannot set a key inside 'data.valueOf', which is not a map".
  expect(lines).toContainEqual(expect.stringMatching(/data.*valueOf/));
  expect(lines.join('\n')).not.toMatch(/not a map/);
});

describe('YAML that would exhaust resources or contains itself', () => {
  it('a billion-laughs alias expansion is a config error naming the file, not an internal error', () => {
    const levels = ['a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (const name of 'bcdefg')
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${levels.length ? String.fromCharCode(name.charCodeAt(0) - 1) : ''}`)
          .join(', ')}]`,
      );
    const file = write('laughs.yaml', `${levels.join('\n')}\n`);
    const started = Date.now();
    const result = acaf(['validate', file]);
    expect(Date.now() - started).toBeLessThan(20000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^acaf: .*laughs\.yaml: invalid YAML: Excessive alias count/)]);
  });

  it('a value that contains itself, in a file, a --set value or a matrix, is a config error', () => {
    expect(problems(write('cycle.yaml', 'extends: ok.yaml\nseed: &x [1, *x]\n'))).toEqual([
      expect.stringMatching(/cycle\.yaml:2: seed\.1: contains itself \(a YAML alias inside its own anchor\)$/),
    ]);
    expect(problems(path.join(dir, 'ok.yaml'), ['seed=&x [*x]'])).toEqual([
      expect.stringMatching(/^--set seed=&x \[\*x\]: seed\.0: contains itself/),
    ]);
    // The same value used twice through an alias is not a cycle.
    const shared = problems(write('shared.yaml', 'extends: ok.yaml\nx: &x [1, 2]\ny: [*x, *x]\n'));
    expect(shared.join('\n')).not.toMatch(/contains itself/);
  });
});

it('found by fuzzing: an empty --set key path is a config error naming --set, and errors after it still name their file', () => {
  const matrixText = write('bad-matrix.yaml', 'extends: ok.yaml\nmatrix:\n  seed; [1]\n');
  const lines = problems(matrixText, [' =']);
  expect(lines).toEqual([expect.stringMatching(/^--set {2}=: .*a key is empty/)]);
  expect(problems(matrixText, ['train..epochs=2'])).toEqual([expect.stringMatching(/^--set train\.\.epochs=2: .*a key is empty/)]);
  expect(problems(matrixText)).toEqual([expect.stringMatching(/bad-matrix\.yaml:2: matrix: must be a map/)]);
});

it('found by fuzzing: a matrix config whose name is a map is a config error, not a crash building the run name', () => {
  const lines = problems(write('named.yaml', 'extends: ok.yaml\nname: { toString: 1 }\nmatrix: { seed: [1, 2] }\n'));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('\n')).toMatch(/named\.yaml:2: name: /);
});
