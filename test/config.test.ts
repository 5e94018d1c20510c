import * as path from 'path';
import { resolveConfig, resolveExperiments } from '../src/config';
import { ConfigError } from '../src/errors';
import { registerConfigTestPlugins } from './helpers/config-plugins';

registerConfigTestPlugins();
const fixture = (name: string) => path.join(__dirname, 'fixtures', 'config', name);

/** The config issues a fixture produces, one formatted line each. */
function problems(name: string, set: string[] = []): string[] {
  try {
    resolveExperiments(fixture(name), { set });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error(`${name} unexpectedly validated`);
}

describe('extends', () => {
  test('maps merge key by key', () => {
    const config = resolveConfig(fixture('child-map-merge.yaml'));
    expect(config.model.network).toEqual({ type: 'test-net', depth: 4 });
    expect(config.seed).toBe(7);
    expect(config.name).toBe('child');
  });

  test('bases merge in order and the file itself wins', () => {
    const config = resolveConfig(fixture('child-list-order.yaml'));
    expect(config.train.optimizer).toEqual({ type: 'test-opt', lr: 0.01 });
    expect(config.train.epochs).toBe(3);
  });

  test('lists replace instead of merging', () => {
    expect(resolveConfig(fixture('child-list-replace.yaml')).data.classes).toEqual([4, 5]);
  });

  test('a plugin map whose type changes replaces the old one', () => {
    expect(resolveConfig(fixture('child-plugin-type.yaml')).train.optimizer).toEqual({ type: 'test-opt2', beta: 0.5 });
    expect(resolveConfig(fixture('child-map-merge.yaml')).model.network).toEqual({ type: 'test-net', depth: 4 });
  });

  test('paths are relative to the extending file', () => {
    expect(resolveConfig(fixture('nested/relative.yaml')).seed).toBe(7);
  });

  test('a cycle is an error naming the chain', () => {
    const [line] = problems('cycle-a.yaml');
    expect(line).toMatch(/extends: extends cycle: .*cycle-a\.yaml -> .*cycle-b\.yaml -> .*cycle-a\.yaml/);
  });

  test('a missing base is an error naming the file and line', () => {
    expect(problems('missing-base.yaml')).toEqual([
      expect.stringMatching(/missing-base\.yaml:1: extends: extended file not found: does-not-exist\.yaml/),
    ]);
  });
});

describe('--set', () => {
  test('values are parsed as YAML and win over every file', () => {
    const config = resolveConfig(fixture('child-list-order.yaml'), {
      set: ['train.epochs=12', 'train.optimizer.lr=1e-3', 'data.classes=[0, 9]', 'model.network.depth=5'],
    });
    expect(config.train.epochs).toBe(12);
    expect(config.train.optimizer.lr).toBe(0.001);
    expect(config.data.classes).toEqual([0, 9]);
    expect(config.model.network.depth).toBe(5);
  });

  test('creates missing maps along the path', () => {
    expect(resolveConfig(fixture('base.yaml'), { set: ['data.augment.flip=true'] }).data.augment).toMatchObject({ crop: 0, flip: true });
  });

  test('a bad value is located at the --set that gave it', () => {
    expect(problems('base.yaml', ['train.epochs=zero'])).toEqual(["--set train.epochs=zero: train.epochs: expected integer, got 'zero'"]);
  });

  test('without = it is an error', () => {
    expect(problems('base.yaml', ['train.epochs'])[0]).toMatch(/expected key\.path=value, got 'train\.epochs'/);
  });
});

describe('validation', () => {
  test('defaults are filled in and the name comes from the file', () => {
    const config = resolveConfig(fixture('no-name.yaml'));
    expect(config.name).toBe('no-name');
    expect(config.backend).toBe('auto');
    expect(config.train.batchSize).toBe(64);
    expect(config.train.schedule.type).toBe('constant');
    expect(config.model.activation).toEqual({ type: 'test-act', share: 'layer' });
    expect(config.model.placement).toEqual([]);
    expect(config.output.dir).toBe('runs');
  });

  test('every problem is reported, one line each, with file, line and key path', () => {
    const lines = problems('bad-keys.yaml');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /bad-keys\.yaml:7: train\.optimizer\.type: unknown optimizer 'test-opz'; did you mean 'test-opt'\? registered: test-opt/,
        ),
        expect.stringMatching(/bad-keys\.yaml:4: model\.activaton: unknown key 'activaton'; did you mean 'activation'\?/),
        expect.stringMatching(/bad-keys\.yaml:6: train\.epochs: expected integer, got 'many'/),
        expect.stringMatching(/bad-keys\.yaml:8: backend: expected one of 'auto', .*got 'gpu'/),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  test('a key inherited from a base is located in the base', () => {
    const lines = problems('child-map-merge.yaml', ['model.network.depth=0']);
    expect(lines).toEqual([expect.stringMatching(/^--set model\.network\.depth=0: model\.network\.depth: must be >= 1/)]);
    const inherited = problems('child-map-merge.yaml', ['model.network.type=test-nte']);
    expect(inherited[0]).toMatch(/did you mean 'test-net'/);
  });

  test('invalid YAML names the file and line', () => {
    const lines = problems('invalid-yaml.yaml');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/invalid-yaml\.yaml:\d: invalid YAML: /);
  });

  test('a missing file is one clear line', () => {
    expect(problems('nope.yaml')).toEqual([expect.stringMatching(/nope\.yaml: cannot read config: file not found/)]);
  });
});

describe('matrix', () => {
  test('the product of every list, named after the values', () => {
    const runs = resolveExperiments(fixture('matrix-product.yaml'));
    expect(runs.map((run) => run.name)).toEqual([
      'grid-activation_test.act-seed_1',
      'grid-activation_test.act-seed_2',
      'grid-activation_test.act-seed_3',
      'grid-activation_relu-seed_1',
      'grid-activation_relu-seed_2',
      'grid-activation_relu-seed_3',
    ]);
    expect(runs.map((run) => [run.model.activation.type, run.seed])).toEqual([
      ['test-act', 1],
      ['test-act', 2],
      ['test-act', 3],
      ['relu', 1],
      ['relu', 2],
      ['relu', 3],
    ]);
    expect(runs[0]).not.toHaveProperty('matrix');
  });

  test('zip takes the i-th value of every list together', () => {
    const runs = resolveExperiments(fixture('matrix-zip.yaml'));
    expect(runs.map((run) => [run.train.optimizer.lr, run.train.epochs])).toEqual([
      [0.1, 10],
      [0.01, 20],
    ]);
  });

  test('an axis given as a map names its runs by label', () => {
    const runs = resolveExperiments(fixture('matrix-labelled.yaml'));
    expect(runs.map((run) => run.name)).toEqual(['placed-placement_everywhere', 'placed-placement_first.only']);
    expect(runs[1].model.placement).toEqual([{ layers: [0, 0], activation: { type: 'relu', share: 'layer' } }]);
  });

  test('--set can narrow a matrix', () => {
    expect(resolveExperiments(fixture('matrix-product.yaml'), { set: ['matrix.seed=[2]'] })).toHaveLength(2);
  });

  test('zip lists of different lengths are an error', () => {
    expect(problems('matrix-uneven.yaml')).toEqual([
      expect.stringMatching(/matrix-uneven\.yaml:6: matrix\.train\.epochs: zip needs lists of equal length/),
    ]);
  });

  test('a single-run resolve refuses a matrix', () => {
    expect(() => resolveConfig(fixture('matrix-zip.yaml'))).toThrow(/expands to 2 runs/);
  });
});
