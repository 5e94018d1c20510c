import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { acaf } from './helpers/cli';
import { registries } from '../src/registry';
import '../src/plugins';

const badDir = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-cli-'));
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(badDir, name), text);
  return path.join(badDir, name);
};

test('--help lists every command with a description', () => {
  const { code, stdout } = acaf(['--help']);
  expect(code).toBe(0);
  for (const command of ['run', 'validate', 'list', 'config']) expect(stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, 'm'));
});

test('every command has a description, examples and --help', () => {
  const { stdout } = acaf(['validate', '--help']);
  expect(stdout).toMatch(/USAGE/);
  expect(stdout).toMatch(/EXAMPLES/);
});

test('list shows every registered plugin of every kind', () => {
  const { code, stdout } = acaf(['list', '--json']);
  expect(code).toBe(0);
  const listing = JSON.parse(stdout);
  for (const [kind, registry] of Object.entries(registries)) {
    expect(listing[kind].map((plugin: { name: string }) => plugin.name)).toEqual(registry.names());
  }
  expect(acaf(['list', 'backends']).stdout).toMatch(/^ {2}wasm\s+WebAssembly/m);
});

test('list with an unknown kind is one line and exit 2', () => {
  const { code, stderr } = acaf(['list', 'activatons']);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^acaf: unknown plugin kind 'activatons'/)]);
});

test.each([
  ['--width', '0'],
  ['--check-lr', 'fast'],
])('bench %s %s is one line naming the flag, before measuring anything', (flag, value) => {
  const { code, stdout, stderr } = acaf(['bench', '--networks', 'mlp', '--backends', 'cpu', flag, value]);
  expect(code).not.toBe(0);
  expect(stderr.trim()).toBe(`acaf: ${flag} must be a number > 0, got '${value}'`);
  expect(stdout).not.toMatch(/images\/s/);
});

describe('validate on bad configs: one line per problem, no stack trace, non-zero exit', () => {
  const cases: [string, string, RegExp][] = [
    ['misspelt key', 'name: a\nseeed: 1\n', /a\.yaml:2: seeed: unknown key 'seeed'; did you mean 'seed'\?/],
    ['wrong type', 'name: b\nseed: one\n', /b\.yaml:2: seed: expected integer, got 'one'/],
    [
      'unknown plugin',
      'name: c\nmodel: { activation: { type: arleu } }\n',
      /c\.yaml:2: model\.activation\.type: unknown activation 'arleu'/,
    ],
    ['extends cycle', 'extends: d.yaml\nname: d\n', /extends cycle: .*d\.yaml -> .*d\.yaml/],
    ['missing extends file', 'extends: nowhere.yaml\n', /e\.yaml:1: extends: extended file not found: nowhere\.yaml/],
    ['invalid YAML', 'name: [f\n', /f\.yaml:\d+: invalid YAML/],
  ];
  test.each(cases)('%s', (_, text, expected) => {
    const name = `${'abcdef'[cases.findIndex((c) => c[1] === text)]}.yaml`;
    const { code, stderr } = acaf(['validate', write(name, text)]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(expected);
    expect(stderr).not.toMatch(/\n\s+at /);
    for (const line of stderr.trim().split('\n')) expect(line).toMatch(/^acaf: /);
  });
});

test('config prints the merged, overridden, defaulted config as YAML', () => {
  const base = write('base.yaml', 'seed: 3\ntrain: { epochs: 4, batchSize: 16 }\n');
  const child = write(
    'child.yaml',
    `extends: ${path.basename(base)}\nname: merged\ndata: { type: fashion-mnist, dir: data/fashion-mnist-sample }\n` +
      'model: { network: { type: simple-cnn } }\ntrain: { epochs: 6, optimizer: { type: sgd, lr: 0.05 } }\n',
  );
  const { code, stdout, stderr } = acaf(['config', child, '--set', 'seed=9', '--set', 'train.optimizer.lr=0.2']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const config = parse(stdout);
  expect(config).toMatchObject({
    name: 'merged',
    seed: 9,
    backend: 'auto',
    train: { epochs: 6, batchSize: 16, optimizer: { type: 'sgd', lr: 0.2 } },
  });
  expect(config.extends).toBeUndefined();
});
