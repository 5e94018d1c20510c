import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { kernelReport, startWasmTraining } from '../src';
import { oneDnnKernels } from '../src/native';
import { loadAddon } from '../src/native/addon';
import { elementwiseKernels, NATIVE_MIN_VALUES } from '../src/native/elementwise';
import { normalizationKernels } from '../src/native/normalization';
import { optimizerUpdateKernels } from '../src/native/optimizer-updates';
import { poolingKernels } from '../src/native/pooling';
import { reductionKernels } from '../src/native/reduction';
import { expectMatchesCpu } from './kernel-cases';
import { casesByMemoryKernel } from './native-memory-cases';

/**
 * The native memory-bound kernels (native/src/elementwise.cc, batch-norm.cc, pooling.cc, optimizer-updates.cc) against the cpu backend on
 * the cases of native-memory-cases.ts, each run natively or passed on as the case says. Skipped where the addon is
 * not built, but it must be built where oneDNN is installed.
 */

const oneDnnInstalled = fs.existsSync('/usr/include/oneapi/dnnl/dnnl.hpp');
const source = oneDnnKernels();
const available = !('unavailable' in source);
if (!available) console.log(`native memory-bound kernel tests skipped: ${source.unavailable}`);

const describeIfAvailable = available ? describe : describe.skip;

test('the native kernels are built wherever oneDNN is installed', () => {
  if (oneDnnInstalled) expect('unavailable' in source ? source.unavailable : 'built').toBe('built');
});

describeIfAvailable('native memory-bound kernels', () => {
  beforeAll(async () => {
    // Two threads: the OpenMP loops run in parallel.
    await startWasmTraining({ threads: 2 });
  });

  test('each kernel has cases and replaces the wasm backend’s', () => {
    const loaded = loadAddon();
    if (!('addon' in loaded)) throw new Error(loaded.reason);
    const configs = [
      ...elementwiseKernels(loaded.addon),
      ...normalizationKernels(loaded.addon),
      ...poolingKernels(loaded.addon),
      ...optimizerUpdateKernels(loaded.addon),
      ...reductionKernels(loaded.addon),
    ];
    expect(configs.map((config) => config.kernelName).sort()).toEqual(Object.keys(casesByMemoryKernel).sort());
    for (const { kernelName } of configs) {
      const inSource = 'kernels' in source ? source.kernels.find((config) => config.kernelName === kernelName) : undefined;
      expect(tf.getKernel(kernelName, 'wasm')?.kernelFunc).toBe(inSource?.kernelFunc);
    }
  });

  describe.each(Object.keys(casesByMemoryKernel))('%s matches cpu', (kernelName) => {
    test.each(casesByMemoryKernel[kernelName].map((testCase) => [testCase.label, testCase] as const))('%s', (_label, testCase) => {
      const runs = () => {
        const report = kernelReport().native;
        return { native: 0, passedOn: 0, ...('runs' in report ? report.runs[kernelName] : {}) };
      };
      const before = runs();
      expectMatchesCpu('wasm', kernelName, testCase);
      const after = runs();
      expect([after.native - before.native, after.passedOn - before.passedOn]).toEqual(testCase.native ? [1, 0] : [0, 1]);
    });
  });

  test('other dtypes pass on: int32 Add and Relu', () => {
    const passedOn = (kernelName: string) => {
      const report = kernelReport().native;
      return 'runs' in report ? (report.runs[kernelName]?.passedOn ?? 0) : 0;
    };
    const before = [passedOn('Add'), passedOn('Relu')];
    const earlierReport = kernelReport().native;
    const a = tf.tensor(
      Array.from({ length: 2 * NATIVE_MIN_VALUES }, (_, i) => (i % 7) - 3),
      [2 * NATIVE_MIN_VALUES],
      'int32',
    );
    const sum = tf.add(a, a);
    const relu = tf.relu(a);
    expect(sum.dtype).toBe('int32');
    expect(Array.from(sum.dataSync().slice(0, 7))).toEqual([-6, -4, -2, 0, 2, 4, 6]);
    expect(Array.from(relu.dataSync().slice(0, 7))).toEqual([0, 0, 0, 0, 1, 2, 3]);
    expect([passedOn('Add') - before[0], passedOn('Relu') - before[1]]).toEqual([1, 1]);
    // A report is a snapshot: later runs do not change it.
    expect('runs' in earlierReport && (earlierReport.runs.Add?.passedOn ?? 0)).toBe(before[0]);
    tf.dispose([a, sum, relu]);
  });
});
