import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { kernelReport, startWasmTraining } from '../src';
import { oneDnnKernels } from '../src/native';
import { methodFor, singleReadingTap } from '../src/native/convolution';
import { expectMatchesCpu, type KernelCase } from './kernel-cases';
import { casesByNativeKernel, passedOn, type Shape4 } from './native-cases';
import { casesByMemoryKernel } from './native-memory-cases';

/**
 * The native kernels (source 'onednn', native/) on the wasm backend against the cpu backend, on native-cases.ts.
 * Where oneDNN is installed the addon must have been built (an install that silently lost it would fail here);
 * elsewhere these tests are skipped with the reason.
 */

const oneDnnInstalled = fs.existsSync('/usr/include/oneapi/dnnl/dnnl.hpp');
const source = oneDnnKernels();
const available = !('unavailable' in source);
if (!available) console.log(`native kernel tests skipped: ${source.unavailable}`);

const describeIfAvailable = available ? describe : describe.skip;

test('the native kernels are built wherever oneDNN is installed', () => {
  if (oneDnnInstalled) expect('unavailable' in source ? source.unavailable : 'built').toBe('built');
});

test('a convolution is one product when a single tap reads the input pixel at each output pixel', () => {
  const tap = (x: number[], filter: number[], strides: number, pad: 'same' | 'valid', dilations = 1) =>
    singleReadingTap(tf.backend_util.computeConv2DInfo(x as Shape4, filter as Shape4, strides, dilations, pad));
  expect(tap([2, 5, 5, 8], [1, 1, 8, 4], 1, 'valid')).toBe(0);
  expect(tap([2, 5, 5, 8], [1, 1, 8, 4], 1, 'same')).toBe(0);
  expect(tap([2, 1, 1, 8], [3, 3, 8, 4], 1, 'same')).toBe(4);
  expect(tap([2, 1, 1, 8], [3, 3, 8, 4], 2, 'same')).toBe(4);
  expect(tap([2, 1, 1, 8], [5, 5, 8, 4], 1, 'same')).toBe(12);
  expect(tap([2, 1, 1, 8], [3, 3, 8, 4], 1, 'same', 2)).toBe(4);
  // Every pixel read through several taps, or pixels skipped by the stride: a convolution.
  expect(tap([2, 6, 6, 8], [1, 1, 8, 4], 2, 'valid')).toBeNull();
  expect(tap([2, 2, 2, 8], [3, 3, 8, 4], 1, 'same')).toBeNull();
  expect(tap([2, 3, 3, 8], [3, 3, 8, 4], 1, 'valid')).toBeNull();
  expect(tap([2, 1, 3, 8], [3, 3, 8, 4], 1, 'same')).toBeNull();
});

test('the cases run every convolution kernel by each of its three methods', () => {
  const infoOf = ({ inputs, attrs }: KernelCase, kernelName: string) => {
    const [x, filter] =
      kernelName === 'Conv2DBackpropFilter'
        ? [inputs.x, attrs.filterShape as number[]]
        : kernelName === 'Conv2DBackpropInput'
          ? [attrs.inputShape as number[], inputs.filter]
          : [inputs.x, inputs.filter];
    const { strides, pad, dilations, dimRoundingMode } = attrs as Record<string, never>;
    return tf.backend_util.computeConv2DInfo(x as Shape4, filter as Shape4, strides, dilations ?? 1, pad, dimRoundingMode);
  };
  for (const kernelName of ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
    const methods = new Set(
      casesByNativeKernel[kernelName]
        .filter((testCase) => !passedOn(testCase))
        .map((testCase) => methodFor(infoOf(testCase, kernelName)).method),
    );
    expect([kernelName, [...methods].sort()]).toEqual([kernelName, ['columns', 'convolution', 'product']]);
  }
});

describeIfAvailable('native oneDNN kernels', () => {
  beforeAll(async () => {
    // Two threads: oneDNN's parallel paths run.
    await startWasmTraining({ threads: 2 });
  });

  test('are registered after the wasm kernels, replacing them', () => {
    expect(kernelReport().sources).toEqual(['wasm-simd', 'onednn']);
    if (!available) return;
    // The memory-bound kernels are native-memory-kernels.test.ts's.
    const tested = [...Object.keys(casesByNativeKernel), ...Object.keys(casesByMemoryKernel)];
    expect(tested.sort()).toEqual(source.kernels.map((config) => config.kernelName).sort());
    for (const config of source.kernels) expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
  });

  describe.each(Object.keys(casesByNativeKernel))('%s matches cpu', (kernelName) => {
    test.each(casesByNativeKernel[kernelName].map((testCase) => [testCase.label, testCase] as const))('%s', (_label, testCase) => {
      const runs = () => {
        const report = kernelReport().native;
        return 'runs' in report ? (report.runs[kernelName]?.native ?? 0) : 0;
      };
      const before = runs();
      expectMatchesCpu('wasm', kernelName, testCase);
      expect(runs() - before).toBe(passedOn(testCase) ? 0 : 1);
    });
  });

  test('the report names the implementations oneDNN chose', () => {
    const report = kernelReport().native;
    expect('version' in report && report.version).toMatch(/^oneDNN \d+\.\d+\.\d+$/);
    expect('implementations' in report && Object.keys(report.implementations).sort()).toEqual([
      'Conv2D filter gradient',
      'Conv2D forward',
      'Conv2D input gradient',
      'MatMul',
    ]);
  });
});
