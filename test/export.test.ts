import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { AcafError } from '../src/errors';
import { groupRuns, mean, sampleStd } from '../src/report/aggregate';
import { discoverRuns } from '../src/report/discover';
import { groupsToCsv, runsToCsv } from '../src/report/export-csv';
import { parseGroupKeys, parseMetric, parseReach } from '../src/report/flags';
import { loadRuns } from '../src/report/load-runs';
import { buildPaperTable, renderLatex, renderMarkdown } from '../src/report/paper-table';
import { summarizeRun, RunSummary } from '../src/report/summary';
import { writeFixtureMatrix, writeFixtureRun } from './helpers/report-fixtures';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-export-'));
const runDirs = writeFixtureMatrix(path.join(root, 'runs'));
const summaries = (reach = 0.85): RunSummary[] => loadRuns([path.join(root, 'runs')]).records.map((record) => summarizeRun(record, reach));
const byActivationAndSeed = (rows: RunSummary[], activation: string, seed: number) =>
  rows.find((row) => row.activation === activation && row.seed === seed)!;

describe('run discovery', () => {
  const messy = path.join(root, 'messy');
  writeFixtureRun(messy, { name: 'done', activation: 'relu', seed: 1, epochs: [{ test_accuracy: 0.5 }] });
  writeFixtureRun(messy, { name: 'crashed', activation: 'relu', seed: 1, status: 'failed', epochs: [{ test_accuracy: 0.4 }] });
  const noMetrics = writeFixtureRun(messy, { name: 'broken', activation: 'relu', seed: 1, epochs: [] });
  fs.rmSync(path.join(noMetrics, 'metrics.csv'));

  test('finds run dirs under a runs root, a config folder, or a run dir itself', () => {
    expect(discoverRuns([path.join(root, 'runs')]).runs).toEqual([...runDirs].sort());
    expect(discoverRuns([path.join(root, 'runs', 'tiny-as')]).runs).toHaveLength(2);
    expect(discoverRuns([runDirs[0], runDirs[0]]).runs).toEqual([runDirs[0]]);
  });

  test('skips unfinished and incomplete runs, saying why; --all keeps unfinished ones with every file', () => {
    const { runs, skipped } = discoverRuns([messy]);
    expect(runs).toHaveLength(1);
    expect(skipped.map((run) => run.reason).sort()).toEqual(['missing metrics.csv', 'status failed']);
    const all = discoverRuns([messy], { all: true });
    expect(all.runs).toHaveLength(2);
    expect(all.skipped).toEqual([{ dir: noMetrics, reason: 'missing metrics.csv' }]);
    expect(loadRuns([messy]).skippedNote).toMatch(/^skipped 2 incomplete runs \(use --all/);
  });

  test('a path that does not exist, or holds no finished run, is one clear error', () => {
    expect(() => discoverRuns([path.join(root, 'nowhere')])).toThrow(
      new AcafError(`no such file or directory: ${path.join(root, 'nowhere')}`),
    );
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    expect(() => loadRuns([empty])).toThrow(/^no finished runs found under/);
  });

  test('a malformed metrics.csv names the file, row and column', () => {
    const bad = writeFixtureRun(path.join(root, 'bad'), { name: 'bad', activation: 'relu', seed: 1, epochs: [{ test_accuracy: 0.5 }] });
    const file = path.join(bad, 'metrics.csv');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(',0.5,,', ',oops,,'));
    expect(() => loadRuns([bad])).toThrow(`${file} row 1: column 'test_accuracy' is 'oops', expected a number`);
  });
});

describe('one tidy row per run', () => {
  test('identity columns come from config.yaml, run.json and env.json', () => {
    const row = byActivationAndSeed(summaries(), 'as', 2);
    expect(row).toMatchObject({
      name: 'tiny-as',
      network: 'mlp',
      optimizer: 'sgd',
      dataset: 'synthetic',
      backend: 'cpu',
      protocol: 'corrected',
      status: 'complete',
    });
  });

  test('final, best, first-epoch, epochs-to-reach and wall time are read off metrics.csv', () => {
    // relu seed 2 test accuracy per epoch: 0.6, 0.85, 0.84 (2 s per epoch)
    expect(byActivationAndSeed(summaries(0.85), 'relu', 2)).toMatchObject({
      epochs: 3,
      test_accuracy: 0.84,
      best_test_accuracy: 0.85,
      best_epoch: 2,
      first_epoch_accuracy: 0.6,
      epochs_to_reach: 2,
      wall_seconds: 6,
      precision: 0.5,
    });
    // relu seed 1: 0.5, 0.7, 0.8 never reaches 0.85
    expect(byActivationAndSeed(summaries(0.85), 'relu', 1).epochs_to_reach).toBeUndefined();
  });

  test('the CSV has a header and one row per run, empty cells for missing values', () => {
    const rows = parse(runsToCsv(summaries()), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    const reluSeed1 = rows.find((row) => row.activation === 'relu' && row.seed === '1')!;
    expect(reluSeed1).toMatchObject({ test_accuracy: '0.8', best_epoch: '3', epochs_to_reach: '', reach: '0.85' });
  });
});

describe('aggregation over seeds', () => {
  test('mean and sample standard deviation (n - 1)', () => {
    expect(mean([2, 4, 9])).toBe(5);
    // deviations -3, -1, 4: (9 + 1 + 16) / 2 = 13
    expect(sampleStd([2, 4, 9])).toBeCloseTo(Math.sqrt(13), 12);
    expect(sampleStd([7])).toBeUndefined();
  });

  test('--by network,activation: n, mean and std per group, checked by hand', () => {
    const groups = groupRuns(summaries(0.85), parseGroupKeys('network,activation'));
    expect(groups).toHaveLength(2);
    const relu = groups.find((group) => group.key.activation === 'relu')!;
    expect(relu.runs).toHaveLength(2);
    // final 0.80 and 0.84: mean 0.82, std sqrt(2 * 0.02^2 / 1) = 0.028284
    expect(relu.stats.test_accuracy.mean).toBeCloseTo(0.82, 12);
    expect(relu.stats.test_accuracy.std).toBeCloseTo(0.0282843, 6);
    // best 0.80 and 0.85: mean 0.825, std 0.035355
    expect(relu.stats.best_test_accuracy.mean).toBeCloseTo(0.825, 12);
    expect(relu.stats.best_test_accuracy.std).toBeCloseTo(0.0353553, 6);
    // only seed 2 reached 0.85: one value, so no std
    expect(relu.stats.epochs_to_reach).toEqual({ mean: 2, std: undefined, count: 1 });
  });

  test('the grouped CSV has n, <column>_mean, <column>_std (empty for one value) and runs_reaching', () => {
    const by = parseGroupKeys('activation');
    const rows = parse(groupsToCsv(groupRuns(summaries(0.85), by), by, 0.85), { columns: true }) as Record<string, string>[];
    const as = rows.find((row) => row.activation === 'as')!;
    expect(as).toMatchObject({
      n: '2',
      test_accuracy_mean: '0.88',
      test_accuracy_std: '0.028284',
      runs_reaching: '2',
      epochs_to_reach_mean: '2.5',
    });
    const relu = rows.find((row) => row.activation === 'relu')!;
    expect(relu).toMatchObject({ epochs_to_reach_mean: '2', epochs_to_reach_std: '', runs_reaching: '1' });
  });

  test('unknown --by keys and metrics are errors listing the valid ones', () => {
    expect(() => parseGroupKeys('activation,colour')).toThrow(/^--by: unknown key 'colour'; group by any of: name, network/);
    expect(() => parseMetric('accuracy')).toThrow(/^--metric: unknown metric 'accuracy'; one of: epochs, test_accuracy/);
    expect(parseReach('0.9')).toBe(0.9);
    expect(() => parseReach('ninety')).toThrow("--reach: expected a number, got 'ninety'");
  });
});

describe('paper-style table', () => {
  const table = () => buildPaperTable(summaries(), 'test_accuracy');

  test('activations as rows, networks as columns, the best mean per column marked', () => {
    const built = table();
    expect(built.rows).toEqual(['as', 'relu']);
    expect(built.columns).toEqual(['mlp']);
    expect(built.best).toEqual([[true], [false]]);
  });

  test('Markdown: "mean ± std" in percent, best in bold, a note saying what the cells are', () => {
    const lines = renderMarkdown(table()).split('\n');
    expect(lines.slice(0, 4)).toEqual(['| activation | mlp |', '|---|---:|', '| as | **88.00 ± 2.83** |', '| relu | 82.00 ± 2.83 |']);
    expect(lines[5]).toMatch(/^test_accuracy \(%\): mean ± sample standard deviation \(n - 1\) over runs per cell, n = 2;/);
  });

  test('LaTeX: a booktabs tabular with the best cell in bold', () => {
    const latex = renderLatex(table());
    expect(latex).toContain('\\begin{tabular}{lc}');
    expect(latex).toContain('as & $\\mathbf{88.00 \\pm 2.83}$ \\\\');
    expect(latex).toContain('relu & $82.00 \\pm 2.83$ \\\\');
    expect(latex.trim().endsWith('\\end{tabular}')).toBe(true);
  });

  test('datasets as columns; for "lower is better" metrics the smallest mean is bold; one run has no std', () => {
    // seed 1 reaches 0.8 at epoch 2 with as (0.82), at epoch 3 with relu (0.80)
    const rows = summaries(0.8).filter((row) => row.seed === 1);
    const markdown = renderMarkdown(buildPaperTable(rows, 'epochs_to_reach', 'dataset'));
    expect(markdown).toContain('| activation | synthetic |');
    expect(markdown).toContain('| as | **2.00** |');
    expect(markdown).toContain('| relu | 3.00 |');
  });

  test('a cell mixing optimizers is an error rather than a silent average', () => {
    const rows = summaries();
    rows[0] = { ...rows[0], optimizer: 'adam' };
    expect(() => buildPaperTable(rows, 'test_accuracy')).toThrow(/^table cell \(as, mlp\) mixes runs with optimizer adam and sgd/);
  });
});
