import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acaf } from './helpers/cli';
import { writeFixtureMatrix, writeFixtureRun } from './helpers/report-fixtures';

// The built CLI on fixture run dirs: flags, files written, messages and exit codes.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-report-cli-'));
const runs = path.join(root, 'runs');
writeFixtureMatrix(runs);
writeFixtureRun(runs, {
  name: 'tiny-relu',
  activation: 'relu',
  seed: 3,
  status: 'running',
  timestamp: '20240102-000000',
  epochs: [{ test_accuracy: 0.1 }],
});

test('export: tidy CSV to a file, skipped runs reported on stderr', () => {
  const out = path.join(root, 'out', 'runs.csv');
  const { code, stdout, stderr } = acaf(['export', runs, '--out', out]);
  expect(code).toBe(0);
  expect(stdout).toContain(`wrote ${out} (4 runs)`);
  expect(stderr).toMatch(/^acaf: skipped 1 incomplete run \(use --all to include unfinished runs\): .*20240102-000000: status running/);
  expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1 + 4);
  expect(acaf(['export', runs, '--all']).stdout.trim().split('\n')).toHaveLength(1 + 5);
});

test('export --by and --format md print to stdout; flag mistakes are one line and exit 2', () => {
  const grouped = acaf(['export', runs, '--by', 'activation']).stdout.trim().split('\n');
  expect(grouped[0]).toMatch(/^activation,n,epochs_mean,epochs_std,test_accuracy_mean/);
  expect(grouped).toHaveLength(1 + 2);
  expect(acaf(['export', runs, '--format', 'md']).stdout).toContain('| as | **88.00 ± 2.83** |');
  const bad = acaf(['export', runs, '--format', 'md', '--by', 'activation,colour']);
  expect(bad.code).toBe(2);
  expect(bad.stderr.trim()).toBe(
    "acaf: --by: unknown key 'colour'; group by any of: name, network, activation, optimizer, dataset, seed, backend, protocol, status",
  );
});

test('plot writes SVG and PNG figures; report writes one HTML page', () => {
  const plots = path.join(root, 'plots');
  expect(acaf(['plot', runs, '--out', plots, '--format', 'svg']).code).toBe(0);
  expect(fs.readdirSync(plots).sort()).toEqual([
    'mlp-synthetic-sgd-corrected-test-accuracy.svg',
    'mlp-synthetic-sgd-corrected-train-loss.svg',
    'tiny-as-seed1-20240101-000001-activation-shapes.svg',
  ]);
  for (const [flag, value, message] of [
    ['--by', 'model.nope', "acaf: --by: no run's config has 'model.nope'"],
    ['--format', 'svg,eps', "acaf: --format: unknown figure format 'eps'"],
  ]) {
    const bad = acaf(['plot', runs, '--out', plots, flag, value]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n').pop()).toContain(message);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  }
  const report = path.join(root, 'report.html');
  expect(acaf(['report', runs, '--out', report]).code).toBe(0);
  expect(fs.readFileSync(report, 'utf8')).toContain('<b>88.00 ± 2.83</b>');
});
