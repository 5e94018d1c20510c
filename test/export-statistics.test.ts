import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { adaptiveClaimsHtml, checkAdaptiveClaims } from '../src/report/adaptive-claims';
import { loadRuns } from '../src/report/load-runs';
import { summarizeRun } from '../src/report/summary';
import { acaf } from './helpers/cli';
import { writeFixtureRun } from './helpers/report-fixtures';

interface GoldenPair {
  values: number[];
  baseline: number[];
  difference: number;
  ci: [number, number];
  pValue: number;
  permutationPValue: number;
}

/** SciPy's ttest_rel and exact permutation_test on 3 seeds (test/fixtures/statistics/make-statistics-golden.py). */
const golden = (
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'statistics', 'statistics-golden.json'), 'utf8')) as { paired: GoldenPair[] }
).paired[0];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-export-statistics-'));
const runs = path.join(root, 'runs');
// Final test accuracies of ar and relu are SciPy's case, seed for seed; the middle epoch makes convergence differ.
for (const [activation, finals] of [
  ['ar', golden.values],
  ['relu', golden.baseline],
] as const) {
  finals.forEach((final, index) =>
    writeFixtureRun(runs, {
      name: `paper-${activation}`,
      activation,
      seed: index + 1,
      timestamp: `20250101-00000${index + 1}`,
      epochs: [{ test_accuracy: 0.4 }, { test_accuracy: final - 0.01 }, { test_accuracy: final }],
    }),
  );
}
// An earlier run of ar seed 1, replaced by the --fresh re-run above (later timestamp): not another sample.
writeFixtureRun(runs, {
  name: 'paper-ar',
  activation: 'ar',
  seed: 1,
  timestamp: '20240101-000001',
  epochs: [{ test_accuracy: 0.1 }, { test_accuracy: 0.1 }, { test_accuracy: 0.1 }],
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('--by groups over distinct seeds: a re-run of a seed replaces the earlier run', () => {
  const { code, stdout, stderr } = acaf(['export', runs, '--by', 'network,activation']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const rows = parse(stdout, { columns: true }) as Record<string, string>[];
  const ar = rows.find((row) => row.activation === 'ar')!;
  expect(ar.n).toBe('3');
  expect(Number(ar.test_accuracy_mean)).toBeCloseTo(golden.values.reduce((a, b) => a + b) / 3, 6);
  // the per-run CSV still lists every run directory
  expect(parse(acaf(['export', runs]).stdout, { columns: true })).toHaveLength(7);
});

test('--baseline activation=relu: paired difference, 95% CI and p-values equal SciPy on the same numbers', () => {
  const { code, stdout } = acaf(['export', runs, '--by', 'network,activation', '--baseline', 'activation=relu']);
  expect(code).toBe(0);
  const rows = parse(stdout, { columns: true }) as Record<string, string>[];
  const ar = rows.find((row) => row.activation === 'ar')!;
  expect(ar.pairs).toBe('3');
  expect(Number(ar.difference)).toBeCloseTo(golden.difference, 10);
  expect(Number(ar.difference_ci_low)).toBeCloseTo(golden.ci[0], 10);
  expect(Number(ar.difference_ci_high)).toBeCloseTo(golden.ci[1], 10);
  expect(Number(ar.p_value)).toBeCloseTo(golden.pValue, 10);
  expect(Number(ar.p_sign_flip)).toBeCloseTo(golden.permutationPValue, 12);
  expect(rows.find((row) => row.activation === 'relu')!.p_value).toBe('');
});

test('--by network,activation --format md is a paper table with convergence columns, best in bold, and the comparison', () => {
  const { code, stdout } = acaf(['export', runs, '--by', 'network,activation', '--format', 'md', '--baseline', 'activation=relu']);
  expect(code).toBe(0);
  const lines = stdout.split('\n');
  expect(lines[0]).toBe(
    '| network | activation | n | test_accuracy | first_epoch_accuracy | epochs_to_95_best | accuracy_auc | Δ vs activation=relu [95% CI] | p (t) | p (sign-flip) |',
  );
  // ar: mean 81.33 ± 1.53 (0.81, 0.83, 0.80), +1.67 points over relu, p from SciPy
  const ar = lines.find((line) => line.startsWith('| mlp | ar |'))!;
  expect(ar).toContain('| 3 | **81.33 ± 1.53** |');
  expect(ar).toContain(
    `| +1.67 [${(golden.ci[0] * 100).toFixed(2)}, +${(golden.ci[1] * 100).toFixed(2)}] | ${golden.pValue.toFixed(3)} | 0.500 |`,
  );
  expect(stdout).toMatch(/mean ± sample standard deviation \(n - 1\) over distinct seeds/);
  const latex = acaf(['export', runs, '--by', 'network,activation', '--format', 'latex']);
  expect(latex.code).toBe(0);
  expect(latex.stdout).toContain('mlp & ar & $3$ & $\\mathbf{81.33 \\pm 1.53}$');
  expect(latex.stdout).toContain('network & activation & n & test\\_accuracy');
});

test('a baseline outside the --by keys, or without --by, is a one-line error', () => {
  const outside = acaf(['export', runs, '--by', 'network', '--baseline', 'activation=relu']);
  expect(outside.code).toBe(2);
  expect(outside.stderr.trim()).toBe("acaf: --baseline: 'activation' must be one of the --by keys (network)");
  const alone = acaf(['export', runs, '--baseline', 'activation=relu']);
  expect(alone.code).toBe(2);
  expect(alone.stderr.trim()).toBe('acaf: --baseline needs --by (the groups to compare)');
});

test("the report's statistics section checks AR against ReLU on the user's runs, with SciPy's p-value", () => {
  const summaries = loadRuns([runs]).records.map((record) => summarizeRun(record, 0.8));
  const checks = checkAdaptiveClaims(summaries, 'test_accuracy');
  expect(checks).toHaveLength(1);
  expect(checks[0]).toMatchObject({ adaptive: 'ar', fixed: 'relu', key: { network: 'mlp', dataset: 'synthetic' } });
  expect(checks[0].result.comparison.pValue).toBeCloseTo(golden.pValue, 10);
  const html = adaptiveClaimsHtml(checks, 'test_accuracy');
  expect(html).toContain(`<td>ar</td><td>relu</td><td>3</td><td>+1.67 [`);
  expect(html).toContain(`<td>${golden.pValue.toFixed(3)}</td><td>0.500</td><td>no significant difference</td>`);
  expect(adaptiveClaimsHtml([], 'test_accuracy')).toMatch(/No claim to check/);
});
