import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { acaf } from './helpers/cli';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-matrix-'));
const config = path.join(work, 'matrix.yaml');
fs.writeFileSync(
  config,
  `name: grid
backend: cpu
data: { type: synthetic, shape: [4, 4, 1], classCount: 3, train: 48, test: 24, noise: 200, seed: 5 }
model: { network: { type: mlp, hiddenUnits: [8] }, activation: { type: relu } }
train: { epochs: 2, batchSize: 16, optimizer: { type: sgd, lr: 0.05 } }
output: { dir: ${JSON.stringify(path.join(work, 'runs'))} }
matrix:
  model.activation.type: [relu, ar]
  seed: [1, 2]
`,
);

const runDirs = () =>
  fs
    .readdirSync(path.join(work, 'runs'))
    .flatMap((name) => fs.readdirSync(path.join(work, 'runs', name)).map((stamp) => `${name}/${stamp}`));

test('a 2x2 matrix runs every combination, then skips them all when run again', () => {
  const first = acaf(['run', config, '--quiet']);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(
    runDirs()
      .map((dir) => dir.split('/')[0])
      .sort(),
  ).toEqual(['grid-activation_ar-seed_1', 'grid-activation_ar-seed_2', 'grid-activation_relu-seed_1', 'grid-activation_relu-seed_2']);

  const again = acaf(['run', config]);
  expect(again.code).toBe(0);
  expect(again.stdout.match(/^skipped: /gm)).toHaveLength(4);
  expect(runDirs()).toHaveLength(4);

  const only = acaf(['run', config, '--only', '*ar-seed_2', '--fresh', '--quiet']);
  expect(only.code).toBe(0);
  expect(runDirs()).toHaveLength(5);
});

test('export aggregates the matrix over seeds', () => {
  const out = path.join(work, 'summary.csv');
  const { code, stderr } = acaf(['export', path.join(work, 'runs'), '--by', 'activation', '--out', out]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const rows = parse(fs.readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(rows.map((row) => row.activation).sort()).toEqual(['ar', 'relu']);
  // The mean over seeds is computed from each run's own metrics.csv: check one group by hand.
  const finalAccuracies = ['1', '2'].map((seed) => {
    const dir = runDirs().find((d) => d.startsWith(`grid-activation_relu-seed_${seed}/`))!;
    const metrics = parse(fs.readFileSync(path.join(work, 'runs', dir, 'metrics.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    return Number(metrics[metrics.length - 1].test_accuracy);
  });
  const relu = rows.find((row) => row.activation === 'relu')!;
  expect(Number(relu.n)).toBe(2);
  expect(Number(relu.test_accuracy_mean)).toBeCloseTo((finalAccuracies[0] + finalAccuracies[1]) / 2, 6);
  const std = Math.abs(finalAccuracies[0] - finalAccuracies[1]) / Math.SQRT2; // sample std of two values
  expect(Number(relu.test_accuracy_std)).toBeCloseTo(std, 5);
  // two seeds: the --fresh re-run of one replaces its earlier run instead of counting as a third sample
  expect(Number(rows.find((row) => row.activation === 'ar')!.n)).toBe(2);
});
