import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { oneDnnBackendReport } from 'tfjs-wasm-training';
import { acaf } from './helpers/cli';

/** The smallest measurement that still runs everything: a 4x4 mlp, batch 2, one timed step, evaluation at batch 4. */
const TINY = ['--networks', 'mlp', '--size', '4', '--batch', '2', '--steps', '1', '--warmup', '1', '--eval-batch', '4'];

let folder: string;
beforeAll(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-bench-'))));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function benchCsvRows(args: string[]): { stdout: string; rows: Record<string, string>[] } {
  const csv = path.join(folder, `${args.join('_').replace(/[^\w]/g, '')}.csv`);
  const { code, stdout, stderr } = acaf(['bench', ...TINY, ...args, '--csv', csv]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return { stdout, rows: parse(fs.readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[] };
}

test('without --backends the cpu backend (the test oracle) is not measured; --repeat gives rounds and a median row', () => {
  const { stdout, rows } = benchCsvRows(['--repeat', '2']);
  expect(rows.map((row) => [row.kind, row.round, row.backend])).toEqual([
    ['measurement', '1', 'wasm'],
    ['measurement', '2', 'wasm'],
    ['median', '', 'wasm'],
  ]);
  for (const row of rows) {
    expect(Number(row.imagesPerSecond)).toBeGreaterThan(0);
    expect(Number(row.evalImagesPerSecond)).toBeGreaterThan(0);
    expect(row.kernelSources.split(' ')).toContain('wasm-simd');
    expect(row.nativeKernels).not.toBe('');
    expect(row.threads).toMatch(/^\d+$/);
    expect(row.node).toBe(process.version);
    expect(row.loadBefore).toMatch(/^\d+\.\d\d$/);
    expect(row.loadAfter).toMatch(/^\d+\.\d\d$/);
    expect(Number(row.pipelineImagesPerSecond)).toBeGreaterThan(0);
  }
  for (const row of rows.slice(0, 2)) {
    // Within the rounding of the throughputs to 0.1 images/s.
    const ratio = Number(row.evalImagesPerSecond) / Number(row.imagesPerSecond);
    expect(Math.abs(Number(row.evalPerTrain) - ratio) / ratio).toBeLessThan(0.01);
  }
  const median = rows[2];
  const measured = rows.slice(0, 2).map((row) => Number(row.imagesPerSecond));
  expect([median.imagesPerSecondMin, median.imagesPerSecondMax]).toEqual(
    [Math.min(...measured), Math.max(...measured)].map((v) => v.toFixed(1)),
  );
  expect(stdout).toMatch(/load average \(1 min\) before: \d+\.\d\d/);
  expect(stdout).toMatch(/load average \(1 min\) after: \d+\.\d\d/);
  expect(stdout).toMatch(/\d+-bit vectors/);
  expect(stdout).not.toMatch(/ on cpu/);
});

test('the cpu and onednn backends are measured when --backends names them, onednn with its native kernels', () => {
  const oneDnnBuilt = 'version' in oneDnnBackendReport().native;
  const { rows } = benchCsvRows(['--backends', oneDnnBuilt ? 'cpu,onednn' : 'cpu']);
  expect(rows.map((row) => [row.kind, row.backend, row.kernelSources])).toEqual([
    ['measurement', 'cpu', ''],
    ...(oneDnnBuilt ? [['measurement', 'onednn', 'cpu onednn']] : []),
    ['median', 'cpu', ''],
    ...(oneDnnBuilt ? [['median', 'onednn', 'cpu onednn']] : []),
  ]);
  if (oneDnnBuilt) expect(rows[1].nativeKernels).toMatch(/^oneDNN \d+\.\d+\.\d+/);
});

test('a --csv file that cannot be written is one line naming it, before any network is measured', () => {
  const csv = path.join(folder, 'missing-folder', 'bench.csv');
  const { code, stdout, stderr } = acaf(['bench', ...TINY, '--backends', 'cpu', '--csv', csv]);
  expect(code).not.toBe(0);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`acaf: cannot write ${csv}: ENOENT`)).toBe(true);
  expect(stdout).not.toMatch(/ on cpu/);
});
