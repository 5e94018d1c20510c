import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildFigures } from '../src/report/figures';
import { shapePoints } from '../src/report/figures/activation-shapes';
import { convergencePoints } from '../src/report/figures/convergence';
import { loadRuns } from '../src/report/load-runs';
import { parseFigureFormats, writeFigures } from '../src/report/write-figures';
import { repoRoot } from './helpers/cli';
import { writeFixtureMatrix } from './helpers/report-fixtures';

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

describe('figure data', () => {
  test('convergence: per activation and epoch, the mean over seeds', () => {
    const points = convergencePoints(records, 'test_accuracy');
    // relu epoch 1: seeds 0.5 and 0.6; as epoch 3: seeds 0.86 and 0.90
    expect(points.find((p) => p.activation === 'relu' && p.epoch === 1)).toEqual({
      activation: 'relu',
      epoch: 1,
      value: expect.closeTo(0.55, 12),
      runs: 2,
    });
    expect(points.find((p) => p.activation === 'as' && p.epoch === 3)?.value).toBeCloseTo(0.88, 12);
    expect(points).toHaveLength(6);
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
});

describe('figures', () => {
  const figures = buildFigures(records);

  test('one accuracy and one loss figure per experiment, one line per activation; shapes per adaptive run', () => {
    expect(figures.map((figure) => figure.name)).toEqual([
      'mlp-synthetic-sgd-corrected-test-accuracy',
      'mlp-synthetic-sgd-corrected-train-loss',
      'tiny-as-seed1-20240101-000001-activation-shapes',
    ]);
    for (const figure of figures.slice(0, 2)) expect(seriesOf(figure.spec, 'activation')).toEqual(new Set(['as', 'relu']));
    expect(seriesOf(figures[2].spec, 'site').size).toBe(2);
  });

  test('SVG and PNG files: valid SVG with one line per activation, valid PNG at twice the SVG size', async () => {
    const out = path.join(root, 'plots');
    const written = await writeFigures(figures.slice(0, 1), out, parseFigureFormats('svg,png,json'));
    expect(written.map((file) => path.basename(file)).sort()).toEqual([
      'mlp-synthetic-sgd-corrected-test-accuracy.png',
      'mlp-synthetic-sgd-corrected-test-accuracy.svg',
      'mlp-synthetic-sgd-corrected-test-accuracy.vl.json',
    ]);
    const svg = fs.readFileSync(path.join(out, 'mlp-synthetic-sgd-corrected-test-accuracy.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // vega draws each series of a line mark as its own line-mark group holding one path
    const lines = [...svg.matchAll(/<g class="mark-line role-mark[^>]*>\s*<path /g)];
    expect(lines).toHaveLength(2);
    expect(svg).toContain('>relu</text>');
    const png = fs.readFileSync(path.join(out, 'mlp-synthetic-sgd-corrected-test-accuracy.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const [, width, height] = svg.match(/^<svg[^>]* width="(\d+)" height="(\d+)"/)!.map(Number);
    expect(pngSize(png)).toEqual({ width: 2 * width, height: 2 * height });
  });

  test('an unknown figure format is one clear error', () => {
    expect(() => parseFigureFormats('svg,pdf')).toThrow(/^--format: unknown figure format 'pdf'; any of: svg, png, json$/);
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
