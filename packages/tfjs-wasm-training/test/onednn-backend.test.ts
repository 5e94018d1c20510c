import * as tf from '@tensorflow/tfjs';
import { ONEDNN_BACKEND, oneDnnBackendReport, startOneDnnBackend } from '../src';
import { nativeKernels } from '../src/native';
import { loadAddon } from '../src/native/addon';
import { expectMatchesCpu, randomValues, useBackend, type KernelCase } from './kernel-cases';
import { casesByNativeKernel, passedOn } from './native-cases';
import { casesByMemoryKernel } from './native-memory-cases';

/**
 * The 'onednn' backend (tfjs's cpu backend with the native kernels on its JavaScript arrays) against the cpu
 * backend: every native kernel's cases, declined cases going to the cpu kernel, and a training step's gradients.
 * Skipped where the addon is not built (native-kernels.test.ts fails if that happens where oneDNN is installed).
 */

const kernels = nativeKernels();
const available = !('unavailable' in kernels);
if (!available) console.log(`onednn backend tests skipped: ${kernels.unavailable}`);
const describeIfAvailable = available ? describe : describe.skip;

const runsOf = (kernelName: string) => {
  const report = oneDnnBackendReport().native;
  return { native: 0, passedOn: 0, ...('runs' in report ? report.runs[kernelName] : {}) };
};

describeIfAvailable('the onednn backend', () => {
  beforeAll(async () => {
    await startOneDnnBackend({ threads: 2 });
  });

  test('has every cpu kernel, the native ones in place of theirs', () => {
    const native = new Set((kernels as { kernelName: string }[]).map(({ kernelName }) => kernelName));
    for (const config of tf.getKernelsForBackend('cpu')) {
      const onednn = tf.getKernel(config.kernelName, ONEDNN_BACKEND);
      if (native.has(config.kernelName))
        expect([config.kernelName, onednn?.kernelFunc === config.kernelFunc]).toEqual([config.kernelName, false]);
      else expect(onednn?.kernelFunc).toBe(config.kernelFunc);
    }
    expect(oneDnnBackendReport().sources).toEqual(['cpu', 'onednn']);
  });

  test('the addon refuses a tensor smaller than the kernel reads, in an array of its own or in the heap', () => {
    const loaded = loadAddon();
    if (!('addon' in loaded)) throw new Error(loaded.reason);
    const { relu } = loaded.addon;
    const [heap, output] = [new Float32Array(0), new Float32Array(8)];
    expect(() => relu(heap, 8, new Float32Array(5), output)).toThrow('tensor argument 2 has 5 values, not 8');
    expect(() => relu(heap, 8, 0, output)).toThrow('tensor at heap offset 0 (8 values) is not inside the heap');
    expect(() => relu(heap, 8, new Int32Array(8) as unknown as Float32Array, output)).toThrow('a tensor argument must be a Float32Array');
    relu(heap, 8, Float32Array.from([-1, 2, -3, 4, 0, -0.5, 6, -7]), output);
    expect(Array.from(output)).toEqual([0, 2, 0, 4, 0, 0, 6, 0]);
  });

  // Activation-sized cases (1M values) run the same native code as on wasm (native-memory-kernels.test.ts): what is
  // new here is how tensors reach it, which the smaller cases cover at a fraction of the cpu oracle's time.
  const values = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const small = (testCase: KernelCase) => Object.values(testCase.inputs).every((shape) => values(shape) < 2 ** 20);
  const allCases = Object.fromEntries(
    Object.entries({ ...casesByNativeKernel, ...casesByMemoryKernel }).map(([kernelName, cases]) => [kernelName, cases.filter(small)]),
  );
  describe.each(Object.keys(allCases))('%s matches cpu', (kernelName) => {
    test.each(allCases[kernelName].map((testCase) => [testCase.label, testCase] as const))('%s', (_label, testCase) => {
      const before = runsOf(kernelName);
      expectMatchesCpu(ONEDNN_BACKEND, kernelName, testCase);
      const after = runsOf(kernelName);
      const native = 'native' in testCase ? testCase.native : !passedOn(testCase);
      expect([after.native - before.native, after.passedOn - before.passedOn]).toEqual(native ? [1, 0] : [0, 1]);
    });
  });

  test("a small convolutional network's loss and gradients match the cpu backend's", () => {
    const gradientsOn = (backend: string) => {
      useBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(randomValues([4, 12, 12, 3], 1), [4, 12, 12, 3]);
        const filter = tf.tensor(randomValues([3, 3, 3, 16], 2), [3, 3, 3, 16]);
        const dense = tf.tensor(randomValues([6 * 6 * 16, 10], 3), [6 * 6 * 16, 10]);
        const labels = tf.oneHot(tf.tensor1d([1, 3, 5, 7], 'int32'), 10);
        const loss = (f: tf.Tensor, d: tf.Tensor) => {
          const features = tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
          return tf.losses.softmaxCrossEntropy(labels, tf.matMul(features.reshape([4, -1]), d as tf.Tensor2D));
        };
        const { value, grads } = tf.valueAndGrads(loss)([filter, dense]);
        return [value, ...grads].map((tensor) => tensor.dataSync().slice());
      });
    };
    const expected = gradientsOn('cpu');
    const actual = gradientsOn(ONEDNN_BACKEND);
    expected.forEach((values, index) => {
      const scale = Math.max(...values.map(Math.abs));
      const worst = Math.max(...values.map((value, i) => Math.abs(actual[index][i] - value)));
      expect(worst / scale).toBeLessThan(1e-5);
    });
  });
});
