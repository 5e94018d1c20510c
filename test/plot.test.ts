import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildFigures } from '../src/report/figures';
import { comparisonPoints, shapePoints } from '../src/report/figures/activation-shapes';
import { convergencePoints } from '../src/report/figures/convergence';
import { parseSeriesKeys, seriesLabel } from '../src/report/figures/series';
import { loadRuns } from '../src/report/load-runs';
import type { RunRecord } from '../src/report/types';
import { parseFigureFormats, writeFigures } from '../src/report/write-figures';
import { repoRoot } from './helpers/cli';
import { writeFixtureMatrix, writeFixtureRun } from './helpers/report-fixtures';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-plot-'));
writeFixtureMatrix(path.join(root, 'runs'));
const records = loadRuns([path.join(root, 'runs')]).records;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Distinct values of `field` in a spec's inline data: the number of lines a color-encoded line chart draws. */
const seriesOf = (spec: unknown, field: string) =>
  new Set((spec as { data: { values: Record<string, unknown>[] } }).data.values.map((row) => row[field]));

/** Width and height from a PNG's IHDR chunk (bytes 16-23, right after the 8-byte signature and chunk header). */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The fixture matrix plus a second `as` run with learned sites, under its own root: runs to compare side by side. */
const compareRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-plot-compare-'));
writeFixtureMatrix(compareRoot);
writeFixtureRun(compareRoot, {
  name: 'tiny-as',
  activation: 'as',
  seed: 3,
  epochs: [{ test_accuracy: 0.8 }, { test_accuracy: 0.85 }],
  sites: [
    { epoch: 0, site: 'block1.act1', params: { a: 1, b: 1, c: 0, d: 0 } },
    { epoch: 2, site: 'block1.act1', params: { a: 3, b: 1, c: 0, d: 0.5 } },
  ],
});
const compareRecords = loadRuns([compareRoot]).records;

const byActivation = (record: RunRecord) => String((record.config.model as { activation: { type: string } }).activation.type);

describe('figure data', () => {
  test('convergence: per activation and epoch, the mean over seeds and the min-max band', () => {
    const points = convergencePoints(records, 'test_accuracy', byActivation, 'minmax');
    // relu epoch 1: seeds 0.5 and 0.6; as epoch 3: seeds 0.86 and 0.90
    expect(points.find((p) => p.series === 'relu' && p.epoch === 1)).toEqual({
      series: 'relu',
      epoch: 1,
      mean: expect.closeTo(0.55, 12),
      lower: 0.5,
      upper: 0.6,
      runs: 2,
    });
    expect(points.find((p) => p.series === 'as' && p.epoch === 3)).toMatchObject({
      mean: expect.closeTo(0.88, 12),
      lower: 0.86,
      upper: 0.9,
    });
    expect(points).toHaveLength(6);
  });

  test('convergence: the std band is the mean ± the sample std (n - 1); one run has no spread', () => {
    const [relu1] = convergencePoints(records, 'test_accuracy', byActivation, 'std').filter((p) => p.series === 'relu' && p.epoch === 1);
    // sample std of 0.5 and 0.6: sqrt((0.05² + 0.05²) / 1) = 0.0707107
    expect(relu1.lower).toBeCloseTo(0.55 - 0.0707107, 6);
    expect(relu1.upper).toBeCloseTo(0.55 + 0.0707107, 6);
    const single = convergencePoints(records.slice(0, 1), 'test_accuracy', byActivation, 'std')[0];
    expect([single.lower, single.upper]).toEqual([single.mean, single.mean]);
    const none = convergencePoints(records, 'test_accuracy', byActivation, 'none')[0];
    expect([none.lower, none.upper]).toEqual([none.mean, none.mean]);
  });

  test('--by: identity columns or config key paths; the label names each key when there are several', () => {
    const keys = parseSeriesKeys('model.activation.share, seed', records);
    expect(keys).toEqual(['model.activation.share', 'seed']);
    expect(new Set(records.map((record) => seriesLabel(record, keys)))).toEqual(new Set(['share=layer, seed=1', 'share=layer, seed=2']));
    expect(seriesLabel(records[0], ['train.batchSize'])).toBe('8');
    expect(() => parseSeriesKeys('model.nope', records)).toThrow(
      /^--by: no run's config has 'model.nope'; give an identity column \(name, network/,
    );
    expect(() => parseSeriesKeys(' , ', records)).toThrow(/^--by: give an identity column/);
  });

  test('shapes: every adaptive site at the first and last epoch, 101 points on [-5, 5], no tensors leaked', () => {
    const asRun = records.find((record) => record.activations.length)!;
    const before = tf.memory().numTensors;
    const points = shapePoints(asRun);
    expect(tf.memory().numTensors).toBe(before);
    expect(points).toHaveLength(2 * 2 * 101);
    expect([...new Set(points.map((p) => p.site))]).toEqual(['block1.act1', 'block2.act1']);
    expect([...new Set(points.map((p) => p.epoch))]).toEqual(['epoch 0 (initial)', 'epoch 3']);
    // block1.act1 learned a=2, b=1.5, c=0.1, d=-0.2: f(z) = 1.5 sigmoid(2z + 0.1) - 0.2
    for (const { z, value } of points.filter((p) => p.site === 'block1.act1' && p.epoch === 'epoch 3')) {
      expect(value).toBeCloseTo(1.5 * sigmoid(2 * z + 0.1) - 0.2, 5);
    }
    const initialAtZero = points.find((p) => p.site === 'block2.act1' && p.epoch === 'epoch 0 (initial)' && Math.abs(p.z) < 1e-9)!;
    expect(initialAtZero.value).toBeCloseTo(0.5, 6);
  });

  test('shapes side by side: each run its last epoch, site by site, and the initial curve once', () => {
    const asRuns = compareRecords.filter((record) => record.activations.length);
    const points = comparisonPoints(asRuns, 'as', (record) => `seed ${record.config.seed}`);
    const curves = (site: string) => [...new Set(points.filter((p) => p.site === site).map((p) => p.curve))];
    expect(curves('block1.act1')).toEqual(['initial', 'seed 1', 'seed 3']);
    expect(curves('block2.act1')).toEqual(['initial', 'seed 1']);
    // seed 3 learned a=3, b=1, c=0, d=0.5 at block1.act1: f(z) = sigmoid(3z) + 0.5
    for (const { z, value } of points.filter((p) => p.site === 'block1.act1' && p.curve === 'seed 3')) {
      expect(value).toBeCloseTo(sigmoid(3 * z) + 0.5, 5);
    }
  });
});

describe('figures', () => {
  const figures = buildFigures(records);

  test('one accuracy and one loss figure per experiment, one line per activation; shapes per adaptive run', () => {
    expect(figures.map((figure) => figure.name)).toEqual([
      'mlp-synthetic-sgd-corrected-test-accuracy',
      'mlp-synthetic-sgd-corrected-train-loss',
      'tiny-as-seed1-20240101-000001-activation-shapes',
    ]);
    for (const figure of figures.slice(0, 2)) expect(seriesOf(figure.spec, 'series')).toEqual(new Set(['as', 'relu']));
    expect(seriesOf(figures[2].spec, 'site').size).toBe(2);
  });

  test('--by optimizer: the experiments are no longer split by optimizer; two runs of one activation are compared', () => {
    const names = buildFigures(compareRecords, { by: ['optimizer'], band: 'minmax' }).map((figure) => figure.name);
    expect(names).toEqual([
      'mlp-synthetic-corrected-test-accuracy',
      'mlp-synthetic-corrected-train-loss',
      'mlp-synthetic-corrected-as-shapes-compared',
      'tiny-as-seed1-20240101-000001-activation-shapes',
      'tiny-as-seed3-20240101-000003-activation-shapes',
    ]);
  });

  test('SVG, PNG and PDF files: one band and one line per activation, the band labelled, PNG at twice and PDF at the SVG size', async () => {
    const out = path.join(root, 'plots');
    const written = await writeFigures(figures.slice(0, 1), out, parseFigureFormats('svg,png,pdf,json'));
    const file = (extension: string) => path.join(out, `mlp-synthetic-sgd-corrected-test-accuracy.${extension}`);
    expect(written.sort()).toEqual(['pdf', 'png', 'svg', 'vl.json'].map(file));
    const svg = fs.readFileSync(file('svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // vega draws each series of a line (area) mark as its own mark group holding one path
    expect([...svg.matchAll(/<g class="mark-line role-mark[^>]*>\s*<path /g)]).toHaveLength(2);
    expect([...svg.matchAll(/<g class="mark-area role-mark[^>]*>\s*<path /g)]).toHaveLength(2);
    expect(svg).toContain('>relu</text>');
    expect(svg).toContain('band: min to max over runs</text>');
    const png = fs.readFileSync(file('png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const [, width, height] = svg.match(/^<svg[^>]* width="(\d+)" height="(\d+)"/)!.map(Number);
    expect(pngSize(png)).toEqual({ width: 2 * width, height: 2 * height });
    const pdf = fs.readFileSync(file('pdf')).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf).toMatch(new RegExp(`/MediaBox \\[0 0 ${width} ${height}\\]`));
  });

  test('an unknown figure format is one clear error', () => {
    expect(() => parseFigureFormats('svg,eps')).toThrow(/^--format: unknown figure format 'eps'; any of: svg, png, pdf, json$/);
  });
});

test('loading the plot and report commands does not load the plotting stack (it loads on first use)', () => {
  // every command module is loaded at start-up by oclif, so this is what `acaf list` pays
  const probe = `require('./dist/commands/plot'); require('./dist/commands/report');
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((file) => /node_modules[\\\\/](vega|vega-lite|@resvg)[\\\\/]/.test(file))));`;
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: repoRoot, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toEqual([]);
});
