import { describeNativeKernels } from '../src/bench/backend-report';
import { benchCsv, CSV_COLUMNS, type InvocationContext } from '../src/bench/bench-csv';
import { evalPerTrain, median, ratioToPeer, spread, summarize, type Measurement } from '../src/bench/repeat-summary';
import { parse } from 'csv-parse/sync';

/** An acaf or PyTorch measurement with round numbers that make the expectations below easy to compute by hand. */
function measurement(round: number, backend: string, imagesPerSecond: number | undefined, extra: Partial<Measurement> = {}): Measurement {
  const peer = backend.startsWith('pytorch');
  return {
    round,
    network: 'lenet',
    backend,
    peer,
    batch: 64,
    imagesPerSecond,
    msPerStep: imagesPerSecond && 64000 / imagesPerSecond,
    kernelSources: peer ? ['torch-1.13'] : ['wasm-simd'],
    note: '',
    ...extra,
  };
}

test('median: the middle value, or the mean of the two middle ones, whatever the order', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([40, 10, 30, 20])).toBe(25);
  expect(median([7])).toBe(7);
  expect(() => median([])).toThrow('median of no values');
});

test('spread skips missing values and is undefined without any', () => {
  expect(spread([5, undefined, 1, 3])).toEqual({ median: 3, min: 1, max: 5, count: 3 });
  expect(spread([undefined])).toBeUndefined();
});

test("acaf's ratio is taken against the PyTorch measurement of the same network in the same round", () => {
  const rounds = [
    measurement(1, 'wasm', 100),
    measurement(1, 'pytorch-cpu-2t', 200),
    measurement(2, 'pytorch-cpu-2t', 50),
    measurement(2, 'wasm', 100),
    measurement(3, 'wasm', 90), // PyTorch failed in round 3: no ratio
    measurement(3, 'pytorch-cpu-2t', undefined, { note: 'failed' }),
    measurement(1, 'wasm', 10, { network: 'alexnet' }), // no PyTorch alexnet at all
  ];
  expect(rounds.map((m) => ratioToPeer(m, rounds))).toEqual([0.5, undefined, undefined, 2, undefined, undefined, undefined]);
  const [wasm, pytorch, alexnet] = summarize(rounds);
  expect(wasm).toMatchObject({
    network: 'lenet',
    backend: 'wasm',
    imagesPerSecond: { median: 100, min: 90, max: 100, count: 3 },
    ratioToPeer: { median: 1.25, min: 0.5, max: 2, count: 2 },
  });
  expect(pytorch).toMatchObject({
    backend: 'pytorch-cpu-2t',
    peer: true,
    imagesPerSecond: { median: 125, min: 50, max: 200 },
    note: 'failed',
  });
  expect(pytorch.ratioToPeer).toBeUndefined();
  expect(alexnet).toMatchObject({ network: 'alexnet', imagesPerSecond: { median: 10, count: 1 }, ratioToPeer: undefined });
});

test('evaluation over training throughput, per measurement and its median; the largest peak memory', () => {
  const rounds = [
    measurement(1, 'wasm', 100, { evalImagesPerSecond: 450, peakMemoryMB: 300 }),
    measurement(2, 'wasm', 200, { evalImagesPerSecond: 500, peakMemoryMB: 320 }),
    measurement(3, 'wasm', 100, { evalImagesPerSecond: undefined, peakMemoryMB: 310, note: 'evaluation: out of memory' }),
  ];
  expect(rounds.map(evalPerTrain)).toEqual([4.5, 2.5, undefined]);
  expect(summarize(rounds)[0]).toMatchObject({
    evalPerTrain: { median: 3.5, min: 2.5, max: 4.5, count: 2 },
    evalImagesPerSecond: { median: 475 },
    peakMemoryMB: 320,
    note: 'evaluation: out of memory',
  });
});

test('the CSV: one row per measurement, then one median row per network and backend, each with the context', () => {
  const rounds = [
    measurement(1, 'wasm', 100, {
      evalBatch: 256,
      evalImagesPerSecond: 400,
      peakMemoryMB: 301.4,
      threads: 2,
      nativeKernels: 'oneDNN 2.6.3',
    }),
    measurement(1, 'pytorch-cpu-2t', 80, { evalBatch: 256, evalImagesPerSecond: 800, threads: 2 }),
    measurement(2, 'pytorch-cpu-2t', 120, { evalBatch: 256, evalImagesPerSecond: 600, threads: 2 }),
    measurement(2, 'wasm', 90, {
      evalBatch: 256,
      evalImagesPerSecond: 450,
      peakMemoryMB: 299.6,
      threads: 2,
      nativeKernels: 'oneDNN 2.6.3',
    }),
  ];
  const context: InvocationContext = {
    cpu: 'Test CPU, 2 cores',
    vectorWidthBits: 512,
    relaxedSimd: false,
    node: 'v20.0.0',
    loadBefore: 0.5,
    loadAfter: 1.25,
    pipelineImagesPerSecond: 20000.4,
  };
  const rows = parse(benchCsv(rounds, summarize(rounds), context), { columns: true }) as Record<string, string>[];
  expect(Object.keys(rows[0])).toEqual([...CSV_COLUMNS]);
  const pick = (row: Record<string, string>, columns: string[]) => columns.map((column) => row[column]);
  const columns = ['kind', 'round', 'backend', 'imagesPerSecond', 'imagesPerSecondMin', 'imagesPerSecondMax', 'msPerStep'];
  const ratios = ['ratioToPyTorch', 'ratioToPyTorchMin', 'ratioToPyTorchMax', 'evalImagesPerSecond', 'evalPerTrain', 'peakMemoryMB'];
  expect(rows.map((row) => [...pick(row, columns), ...pick(row, ratios)])).toEqual([
    ['measurement', '1', 'wasm', '100.0', '', '', '640.0', '1.250', '', '', '400.0', '4.00', '301'],
    ['measurement', '1', 'pytorch-cpu-2t', '80.0', '', '', '800.0', '', '', '', '800.0', '10.00', ''],
    ['measurement', '2', 'pytorch-cpu-2t', '120.0', '', '', '533.3', '', '', '', '600.0', '5.00', ''],
    ['measurement', '2', 'wasm', '90.0', '', '', '711.1', '0.750', '', '', '450.0', '5.00', '300'],
    // wasm: ratios 1.25 and 0.75, eval/train 4 and 5; PyTorch: eval/train 10 and 5.
    ['median', '', 'wasm', '95.0', '90.0', '100.0', '', '1.000', '0.750', '1.250', '425.0', '4.50', '301'],
    ['median', '', 'pytorch-cpu-2t', '100.0', '80.0', '120.0', '', '', '', '', '700.0', '7.50', ''],
  ]);
  const contextColumns = ['pipelineImagesPerSecond', 'vectorWidthBits', 'relaxedSimd', 'node', 'cpu', 'loadBefore', 'loadAfter', 'threads'];
  for (const row of rows)
    expect(pick(row, contextColumns)).toEqual(['20000', '512', 'false', 'v20.0.0', 'Test CPU, 2 cores', '0.50', '1.25', '2']);
  expect(rows.map((row) => row.kernelSources)).toEqual(['wasm-simd', 'torch-1.13', 'torch-1.13', 'wasm-simd', 'wasm-simd', 'torch-1.13']);
  expect(rows.map((row) => row.nativeKernels)).toEqual(['oneDNN 2.6.3', '', '', 'oneDNN 2.6.3', 'oneDNN 2.6.3', '']);
});

test('the native kernels: their version and each implementation that ran once, or why there are none', () => {
  const implementations = {
    'Conv2D forward': ['brgconv:avx512_core'],
    'Conv2D input gradient': ['jit:avx512_core'],
    MatMul: ['jit:avx512_core'],
  };
  expect(describeNativeKernels({ version: 'oneDNN 2.6.3', implementations, runs: {} })).toBe(
    'oneDNN 2.6.3: brgconv:avx512_core, jit:avx512_core',
  );
  expect(describeNativeKernels({ version: 'oneDNN 2.6.3', implementations: {}, runs: {} })).toBe('oneDNN 2.6.3');
  expect(describeNativeKernels({ unused: 'native kernels turned off' })).toBe('not in use: native kernels turned off');
});
