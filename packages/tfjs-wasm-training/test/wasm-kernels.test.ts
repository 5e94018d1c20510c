import * as tf from '@tensorflow/tfjs';
import { startWasmTraining, WASM_SIMD_KERNELS } from '../src';
import { productIsCheaperSwapped } from '../src/kernels/batch-matmul';
import { casesByKernel, expectMatchesCpu, explicitPads, randomValues, useBackend } from './kernel-cases';

/** Every kernel of the package's own source (src/kernels) against the cpu backend (cases in ./kernel-cases). */

/**
 * The cpu kernels ignore dilations (tfjs gradients never pass any), so dilated cases are checked against the
 * gradients' definition, summed in float64 here: for every output pixel and tap, the input pixel the tap reads
 * (stride * output + dilation * tap - pad) receives dy * W in dx and gives x * dy to dW. Shapes, dilations (equal,
 * per axis, one axis only), strides, padding modes and channel multipliers vary.
 */
const dilatedDepthwise = [
  { label: '3x3 same dilation 2', x: [2, 9, 8, 3], filter: [3, 3, 3, 1], attrs: { strides: 1, pad: 'same', dilations: 2 } },
  {
    label: '3x2 valid dilations [2,3] multiplier 2',
    x: [2, 9, 11, 2],
    filter: [3, 2, 2, 2],
    attrs: { strides: 1, pad: 'valid', dilations: [2, 3] },
  },
  { label: '3x3 same dilation 3, odd map', x: [1, 11, 7, 5], filter: [3, 3, 5, 1], attrs: { strides: 1, pad: 'same', dilations: 3 } },
  { label: '2x2 valid dilation 4', x: [3, 10, 9, 2], filter: [2, 2, 2, 1], attrs: { strides: 1, pad: 'valid', dilations: 4 } },
  {
    label: '3x3 same dilations [1,2] multiplier 3',
    x: [2, 6, 10, 2],
    filter: [3, 3, 2, 3],
    attrs: { strides: 1, pad: 'same', dilations: [1, 2] },
  },
  {
    label: '5x5 same dilation 2 on a map smaller than its reach',
    x: [2, 5, 6, 4],
    filter: [5, 5, 4, 1],
    attrs: { strides: 1, pad: 'same', dilations: 2 },
  },
  {
    label: '3x3 explicit pads dilation 2',
    x: [2, 8, 8, 3],
    filter: [3, 3, 3, 2],
    attrs: { strides: 1, pad: explicitPads, dilations: 2 },
  },
  { label: '3x3 valid dilation 2 stride 2', x: [2, 11, 10, 3], filter: [3, 3, 3, 1], attrs: { strides: 2, pad: 'valid', dilations: 2 } },
  {
    label: '3x3 same dilations [2,3] strides [2,3] multiplier 2',
    x: [2, 12, 13, 2],
    filter: [3, 3, 2, 2],
    attrs: { strides: [2, 3], pad: 'same', dilations: [2, 3] },
  },
];

/** dx and dW of a depthwise convolution by their definition, in float64 (NHWC; filter [h, w, channels, multiplier]). */
function depthwiseGradientsByDefinition(
  x: Float32Array,
  filter: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): { dx: Float64Array; dW: Float64Array } {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const multiplier = info.outChannels / inChannels;
  const dx = new Float64Array(x.length);
  const dW = new Float64Array(filter.length);
  for (let b = 0; b < batchSize; b++)
    for (let oh = 0; oh < outHeight; oh++)
      for (let ow = 0; ow < outWidth; ow++)
        for (let kh = 0; kh < filterHeight; kh++)
          for (let kw = 0; kw < filterWidth; kw++) {
            const ih = oh * info.strideHeight + kh * info.dilationHeight - info.padInfo.top;
            const iw = ow * info.strideWidth + kw * info.dilationWidth - info.padInfo.left;
            if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) continue;
            for (let c = 0; c < inChannels; c++)
              for (let m = 0; m < multiplier; m++) {
                const gradient = dy[((b * outHeight + oh) * outWidth + ow) * info.outChannels + c * multiplier + m];
                const xAt = ((b * inHeight + ih) * inWidth + iw) * inChannels + c;
                const wAt = ((kh * filterWidth + kw) * inChannels + c) * multiplier + m;
                dx[xAt] += gradient * filter[wAt];
                dW[wAt] += gradient * x[xAt];
              }
          }
  return { dx, dW };
}

beforeAll(async () => {
  // The wasm kernels alone: native-kernels.test.ts checks the native ones.
  await startWasmTraining({ threads: 1, native: false });
});

test('a product computed swapped never prefers to swap back', () => {
  for (const m of [1, 3, 64, 256, 1024]) {
    for (const k of [8, 512, 4096]) {
      for (const n of [1, 10, 256, 2048]) {
        for (const [transposeA, transposeB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ]) {
          // Swapped, the kernel computes op(b)^T x op(a)^T as a plain product of the materialised transposes.
          if (productIsCheaperSwapped(m, k, n, transposeA, transposeB))
            expect([m, k, n, productIsCheaperSwapped(n, k, m, false, false)]).toEqual([m, k, n, false]);
        }
      }
    }
  }
});

test('every kernel of the source has cases here', () => {
  expect(WASM_SIMD_KERNELS.kernels.map((config) => config.kernelName).sort()).toEqual(Object.keys(casesByKernel).sort());
  for (const config of WASM_SIMD_KERNELS.kernels) expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
});

describe.each(Object.keys(casesByKernel))('%s on wasm matches cpu', (kernelName) => {
  test.each(casesByKernel[kernelName].map((testCase) => [testCase.label, testCase] as const))('%s', (_label, testCase) => {
    expectMatchesCpu('wasm', kernelName, testCase);
  });
});

describe.each(dilatedDepthwise.map((geometry) => [geometry.label, geometry] as const))(
  'dilated depthwise gradients on wasm match their definition: %s',
  (_label, { x: xShape, filter: filterShape, attrs }) => {
    test('dx and dW', () => {
      const info = tf.backend_util.computeConv2DInfo(
        xShape as [number, number, number, number],
        filterShape as [number, number, number, number],
        attrs.strides as number,
        attrs.dilations as number,
        attrs.pad as 'same',
        undefined,
        true,
      );
      useBackend('wasm');
      const [x, filter, dy] = [xShape, filterShape, info.outShape].map((shape, index) => tf.tensor(randomValues(shape, 3 + index), shape));
      const kernelAttrs = attrs as unknown as tf.NamedAttrMap;
      const dx = tf
        .engine()
        .runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...kernelAttrs, inputShape: xShape }) as tf.Tensor;
      const dW = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...kernelAttrs, filterShape }) as tf.Tensor;
      const expected = depthwiseGradientsByDefinition(
        x.dataSync() as Float32Array,
        filter.dataSync() as Float32Array,
        dy.dataSync() as Float32Array,
        info,
      );
      for (const [actual, reference] of [
        [dx, expected.dx],
        [dW, expected.dW],
      ] as const) {
        expect(actual.shape).toEqual(actual === dx ? xShape : filterShape);
        const values = actual.dataSync();
        const scale = Math.max(1, ...reference.map(Math.abs));
        const worst = Math.max(...reference.map((value, i) => Math.abs(values[i] - value)));
        expect(worst / scale).toBeLessThan(1e-5);
      }
      tf.dispose([x, filter, dy, dx, dW]);
    });
  },
);
