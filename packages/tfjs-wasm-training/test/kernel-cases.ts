import * as tf from '@tensorflow/tfjs';
import {
  CHANNEL_MOMENTS,
  MOVING_AVERAGES,
  NORMALIZATION_GRADIENT_SCALES,
  NORMALIZATION_GRADIENT_SUMS,
  NORMALIZATION_INPUT_GRADIENT,
} from '../src/normalization-ops';

/**
 * Cases for every kernel of the package's kernel sources, checked against the cpu backend (the oracle) on random
 * inputs: strides, 'same'/'valid'/numeric/explicit padding, dilations, odd sizes, batch > 1, channel multipliers.
 * wasm-kernels.test.ts runs them on the wasm kernels, native-kernels.test.ts on the native ones.
 */

type Shape = number[];
export interface KernelCase {
  label: string;
  inputs: Record<string, Shape>;
  attrs: Record<string, unknown>;
  /** An int32 `indices` input: its shape and values. */
  indices?: [Shape, number[]];
  /** The input after a ReLU, rounded to {0, 0.5}: most pooling windows then hold several equal maxima. */
  reluZeroedInput?: boolean;
  /**
   * This input's first half of rows (over its last axis) offset by +512, the second by -512: column sums that cancel,
   * which float32 partial sums would get wrong where the cpu backend's float64 sums do not.
   */
  cancellingRows?: string;
  /** This input all zeros (a channel whose values are all equal has a zero variance). */
  zeroed?: string;
  /** The kernel rounds every step as the cpu backend does: its outputs must match bit for bit. */
  bitExact?: boolean;
}

export function randomValues(shape: Shape, seed: number): Float32Array {
  // A small LCG: cases are reproducible without touching Math.random.
  let state = seed;
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 2147483648 - 1;
  });
}

/** Switches to an initialised backend: tfjs does that synchronously; its promise only reports the outcome. */
export function useBackend(name: string): void {
  void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new Error(`backend ${name} is not initialised`);
}

/** The kernel's outputs' values. */
export function runOn(backend: string, kernelName: string, testCase: KernelCase): Float32Array[] {
  useBackend(backend);
  const inputs = Object.fromEntries(
    Object.entries(testCase.inputs).map(([name, shape], index) => {
      const values = randomValues(shape, 7 + index);
      const tied = testCase.reluZeroedInput && name === 'input' ? values.map((value) => (value > 0.3 ? 0.5 : 0)) : values;
      const rowLength = shape[shape.length - 1];
      const rows = values.length / rowLength;
      const cancelling =
        testCase.cancellingRows === name ? tied.map((value, i) => value + (Math.floor(i / rowLength) < rows / 2 ? 512 : -512)) : tied;
      return [name, tf.tensor(testCase.zeroed === name ? new Float32Array(values.length) : cancelling, shape)];
    }),
  );
  if (testCase.indices) inputs.indices = tf.tensor(testCase.indices[1], testCase.indices[0], 'int32');
  const before = tf.memory().numTensors;
  const inputValues = Object.values(inputs).map((input) => input.dataSync().slice());
  // Inputs named 0, 1, ... are a list (Concat's).
  const kernelInputs = Object.keys(inputs).every((name) => /^\d+$/.test(name)) ? Object.values(inputs) : inputs;
  const outputs = [
    tf.engine().runKernel(kernelName, kernelInputs as unknown as tf.NamedTensorMap, testCase.attrs as tf.NamedAttrMap) as
      tf.Tensor | tf.Tensor[],
  ].flat();
  const values = outputs.map((output) => output.dataSync() as Float32Array);
  tf.dispose(outputs);
  expect(tf.memory().numTensors).toBe(before);
  // Kernels that share memory with an input (Identity, Cast) must leave it alive and unchanged.
  Object.values(inputs).forEach((input, index) => expect(firstDifference(input.dataSync(), inputValues[index])).toBe(-1));
  tf.dispose(Object.values(inputs));
  return values;
}

/**
 * The first index where two arrays' values differ in their bits (-1: none). jest's toEqual does this at about 20 us
 * per value, minutes on the native kernels' activation-sized cases.
 */
export function firstDifference(actual: tf.TypedArray, expected: tf.TypedArray): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  const [a, b] = [actual, expected].map((values) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  const bytes = a.length / actual.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return Math.floor(i / bytes);
  return -1;
}

/** dy's shape for a (depthwise) convolution of x by a filter of filterShape. */
export function outputShape(xShape: Shape, filterShape: Shape, attrs: Record<string, unknown>, depthwise: boolean, nchw = false): Shape {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number,
    (attrs.dilations ?? 1) as number,
    attrs.pad as 'same',
    attrs.dimRoundingMode as 'floor' | undefined,
    depthwise,
    nchw ? 'channelsFirst' : 'channelsLast',
  );
  return info.outShape;
}

export const explicitPads = [
  [0, 0],
  [1, 2],
  [0, 1],
  [0, 0],
];
export const geometries: { label: string; x: Shape; filter: Shape; attrs: Record<string, unknown> }[] = [
  { label: '3x3 same stride 1', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], attrs: { strides: 1, pad: 'same' } },
  { label: '3x3 same stride 2 odd size', x: [3, 9, 7, 2], filter: [3, 3, 2, 5], attrs: { strides: 2, pad: 'same' } },
  { label: '2x3 valid stride [2,3]', x: [2, 8, 10, 3], filter: [2, 3, 3, 2], attrs: { strides: [2, 3], pad: 'valid' } },
  { label: '5x5 valid stride 2, unread trailing rows', x: [2, 10, 10, 2], filter: [5, 5, 2, 3], attrs: { strides: 2, pad: 'valid' } },
  { label: '3x3 explicit pads stride 2', x: [2, 7, 8, 3], filter: [3, 3, 3, 2], attrs: { strides: 2, pad: explicitPads } },
  {
    label: '3x3 numeric pad 1 stride 2 ceil',
    x: [2, 8, 8, 2],
    filter: [3, 3, 2, 3],
    attrs: { strides: 2, pad: 1, dimRoundingMode: 'ceil' },
  },
  { label: '1x1 stride 1', x: [2, 5, 5, 6], filter: [1, 1, 6, 4], attrs: { strides: 1, pad: 'same' } },
  { label: '1x1 stride 2 odd size', x: [2, 7, 7, 4], filter: [1, 1, 4, 6], attrs: { strides: 2, pad: 'valid' } },
  {
    label: '1x1 stride 2 even size (last row and column unread)',
    x: [2, 8, 6, 3],
    filter: [1, 1, 3, 5],
    attrs: { strides: 2, pad: 'same' },
  },
  // Fewer pixels than input channels (deep layers of small images): the input gradient is a transposed product.
  { label: '1x1 stride 1, few pixels, wide', x: [2, 2, 2, 24], filter: [1, 1, 24, 16], attrs: { strides: 1, pad: 'valid' } },
  { label: '1x1 stride 2 odd size, few pixels, wide', x: [2, 3, 3, 20], filter: [1, 1, 20, 12], attrs: { strides: 2, pad: 'valid' } },
  // Filter taps that read only padding (dropped before convolving).
  {
    label: '3x3 same on a 1x1 map (only the centre reads input)',
    x: [2, 1, 1, 8],
    filter: [3, 3, 8, 6],
    attrs: { strides: 1, pad: 'same' },
  },
  { label: '5x5 same stride 2 on a 2x3 map', x: [2, 2, 3, 4], filter: [5, 5, 4, 3], attrs: { strides: 2, pad: 'same' } },
  { label: '7x7 same stride 2 (ResNet stem)', x: [2, 12, 12, 3], filter: [7, 7, 3, 4], attrs: { strides: 2, pad: 'same' } },
  // Maps of a few pixels: the input gradient is a product with the dense filter matrix.
  { label: '3x3 same on a 2x2 map (dense product), odd', x: [3, 2, 2, 5], filter: [3, 3, 5, 4], attrs: { strides: 1, pad: 'same' } },
  {
    label: '3x3 explicit pads on a 2x2 map (dense, zero blocks)',
    x: [2, 2, 2, 3],
    filter: [3, 3, 3, 2],
    attrs: {
      strides: 1,
      pad: [
        [0, 0],
        [2, 0],
        [1, 1],
        [0, 0],
      ],
    },
  },
];

function conv2dCases(): Record<string, KernelCase[]> {
  const filterCases: KernelCase[] = [];
  const inputCases: KernelCase[] = [];
  for (const { label, x, filter, attrs } of geometries) {
    for (const dataFormat of ['NHWC', 'NCHW'] as const) {
      // NCHW is only worth checking once per kind of geometry.
      if (dataFormat === 'NCHW' && !label.includes('odd')) continue;
      const xShape = dataFormat === 'NCHW' ? [x[0], x[3], x[1], x[2]] : x;
      const dy = outputShape(xShape, filter, attrs, false, dataFormat === 'NCHW');
      const common = { ...attrs, dataFormat };
      filterCases.push({ label: `${label} ${dataFormat}`, inputs: { x: xShape, dy }, attrs: { ...common, filterShape: filter } });
      inputCases.push({ label: `${label} ${dataFormat}`, inputs: { dy, filter }, attrs: { ...common, inputShape: xShape } });
    }
  }
  return { Conv2DBackpropFilter: filterCases, Conv2DBackpropInput: inputCases };
}

function depthwiseCases(): Record<string, KernelCase[]> {
  const filterCases: KernelCase[] = [];
  const inputCases: KernelCase[] = [];
  const depthwiseGeometries = [
    ...geometries.map(({ label, x, filter, attrs }) => ({ label, x, filter: [filter[0], filter[1], x[3], 1], attrs })),
    { label: '3x3 same multiplier 2', x: [2, 6, 7, 3], filter: [3, 3, 3, 2], attrs: { strides: 1, pad: 'same' } },
    { label: '3x3 valid stride 2 multiplier 3', x: [2, 9, 8, 2], filter: [3, 3, 2, 3], attrs: { strides: 2, pad: 'valid' } },
  ];
  for (const { label, x, filter, attrs } of depthwiseGeometries) {
    const full = { dilations: 1, ...attrs };
    const dy = outputShape(x, filter, full, true);
    filterCases.push({ label, inputs: { x, dy }, attrs: { ...full, filterShape: filter } });
    inputCases.push({ label, inputs: { dy, filter }, attrs: { ...full, inputShape: x } });
  }
  return { DepthwiseConv2dNativeBackpropFilter: filterCases, DepthwiseConv2dNativeBackpropInput: inputCases };
}

const batchMatMulCases: KernelCase[] = [
  { label: 'plain', inputs: { a: [5, 7], b: [7, 3] }, attrs: { transposeA: false, transposeB: false } },
  { label: 'transposeA', inputs: { a: [7, 5], b: [7, 3] }, attrs: { transposeA: true, transposeB: false } },
  { label: 'transposeB', inputs: { a: [5, 7], b: [3, 7] }, attrs: { transposeA: false, transposeB: true } },
  { label: 'both, batched rank 3', inputs: { a: [2, 7, 5], b: [2, 3, 7] }, attrs: { transposeA: true, transposeB: true } },
  { label: 'transposeA, broadcast batch', inputs: { a: [2, 7, 5], b: [1, 7, 4] }, attrs: { transposeA: true, transposeB: false } },
  // Few rows against many columns: computed swapped, (b^T a^T)^T.
  { label: 'swapped: few rows', inputs: { a: [1, 3, 24], b: [1, 24, 40] }, attrs: { transposeA: false, transposeB: false } },
  { label: 'swapped: few rows, transposeA', inputs: { a: [1, 24, 3], b: [1, 24, 40] }, attrs: { transposeA: true, transposeB: false } },
  { label: 'swapped: few rows, transposeB', inputs: { a: [1, 3, 24], b: [1, 40, 24] }, attrs: { transposeA: false, transposeB: true } },
  {
    label: 'swapped: rank 2 (as tf.matMul passes matrices)',
    inputs: { a: [3, 24], b: [24, 40] },
    attrs: { transposeA: false, transposeB: false },
  },
  { label: 'swapped: rank 2, both transposed', inputs: { a: [24, 3], b: [40, 24] }, attrs: { transposeA: true, transposeB: true } },
];

const fusedAttrsMatMul = { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0.2 };
const fusedMatMulCases: KernelCase[] = [
  {
    label: 'bias and relu (tfjs-backend-wasm kernel)',
    inputs: { a: [1, 30, 8], b: [1, 8, 6], bias: [6] },
    attrs: { ...fusedAttrsMatMul, activation: 'relu' },
  },
  {
    label: 'swapped: bias and relu',
    inputs: { a: [1, 3, 24], b: [1, 24, 40], bias: [40] },
    attrs: { ...fusedAttrsMatMul, activation: 'relu' },
  },
  {
    label: 'swapped: leaky relu',
    inputs: { a: [1, 2, 16], b: [1, 16, 30] },
    attrs: { ...fusedAttrsMatMul, activation: 'leakyrelu', leakyreluAlpha: 0.1 },
  },
  {
    label: 'swapped: prelu per column',
    inputs: { a: [1, 2, 16], b: [1, 16, 30], preluActivationWeights: [30] },
    attrs: { ...fusedAttrsMatMul, activation: 'prelu' },
  },
  {
    label: 'swapped: sigmoid, relu6 and elu agree too',
    inputs: { a: [1, 3, 24], b: [1, 24, 40], bias: [40] },
    attrs: { ...fusedAttrsMatMul, activation: 'elu' },
  },
];

const reverseCases: KernelCase[] = [
  { label: 'filter in space [0, 1]', inputs: { x: [3, 3, 4, 5] }, attrs: { dims: [0, 1] } },
  { label: 'last axis', inputs: { x: [2, 3, 5] }, attrs: { dims: [2] } },
  { label: 'inner and last axes, negative index', inputs: { x: [2, 3, 4, 3] }, attrs: { dims: [1, -1] } },
  { label: 'rank 1', inputs: { x: [7] }, attrs: { dims: [0] } },
];

const tileCases: KernelCase[] = [
  { label: 'channel vector over an activation (batch norm gradient)', inputs: { x: [1, 1, 1, 5] }, attrs: { reps: [2, 3, 4, 1] } },
  { label: 'every axis, last too', inputs: { x: [2, 3, 2] }, attrs: { reps: [2, 1, 3] } },
  { label: 'rank 1', inputs: { x: [4] }, attrs: { reps: [3] } },
];

// Identity and Cast share the input's memory: the cases also check that disposing one leaves the other intact.
const identityCases: KernelCase[] = [{ label: 'rank 4', inputs: { x: [2, 3, 4, 5] }, attrs: {} }];
const castCases: KernelCase[] = [
  { label: 'float32 to float32 (shared)', inputs: { x: [3, 4] }, attrs: { dtype: 'float32' } },
  { label: 'float32 to int32 (converted)', inputs: { x: [3, 4] }, attrs: { dtype: 'int32' } },
];

const sliceCases: KernelCase[] = [
  { label: 'centre tap of a filter (contiguous)', inputs: { x: [3, 3, 4, 5] }, attrs: { begin: [1, 1, 0, 0], size: [1, 1, 4, 5] } },
  { label: 'strided box, inner axes partial', inputs: { x: [4, 5, 6, 3] }, attrs: { begin: [1, 0, 2, 1], size: [2, 5, 3, 2] } },
  { label: 'leading axes whole, size -1', inputs: { x: [3, 4, 5] }, attrs: { begin: [0, 1, 0], size: [-1, 2, -1] } },
  { label: 'rank 1', inputs: { x: [9] }, attrs: { begin: [2], size: [4] } },
  { label: 'everything', inputs: { x: [2, 3] }, attrs: { begin: [0, 0], size: [2, 3] } },
];

// Matrix transposes run in the pack (column counts that are and are not multiples of four); others are passed on.
const transposeCases: KernelCase[] = [
  { label: 'matrix [1, 0], 7 columns', inputs: { x: [5, 7] }, attrs: { perm: [1, 0] } },
  // 37 x 22: three tiles of 16 rows (the last of 4), 4x4 blocks, and a row and two columns left over.
  { label: 'matrix [1, 0], several tiles and both edges', inputs: { x: [37, 22] }, attrs: { perm: [1, 0] } },
  { label: 'batched matrices [0, 2, 1], 20 x 9 each', inputs: { x: [3, 20, 9] }, attrs: { perm: [0, 2, 1] } },
  { label: '[2, 1, 0]: strided matrices 18 x 13', inputs: { x: [18, 3, 13] }, attrs: { perm: [2, 1, 0] } },
  { label: 'filter channels [0, 1, 3, 2] (batched)', inputs: { x: [3, 3, 4, 9] }, attrs: { perm: [0, 1, 3, 2] } },
  { label: 'batch as channels [3, 1, 2, 0] (merged to [2, 1, 0])', inputs: { x: [6, 2, 3, 5] }, attrs: { perm: [3, 1, 2, 0] } },
  { label: 'leading pair to the end [2, 3, 0, 1] (merged to [1, 0])', inputs: { x: [2, 3, 4, 5] }, attrs: { perm: [2, 3, 0, 1] } },
  { label: 'last axis kept [1, 2, 0, 3] (passed on)', inputs: { x: [4, 3, 2, 5] }, attrs: { perm: [1, 2, 0, 3] } },
  { label: 'rank 5 mixed (passed on)', inputs: { x: [2, 3, 2, 2, 3] }, attrs: { perm: [4, 0, 2, 1, 3] } },
];

const gatherCases: KernelCase[] = [
  {
    label: 'rows of a matrix (axis 0), repeated index',
    inputs: { x: [5, 6] },
    attrs: { axis: 0, batchDims: 0 },
    indices: [[4], [4, 0, 2, 0]],
  },
  {
    label: 'inner axis of rank 3, indices of rank 2',
    inputs: { x: [2, 4, 3] },
    attrs: { axis: 1, batchDims: 0 },
    indices: [
      [2, 2],
      [3, 0, 1, 3],
    ],
  },
  { label: 'last axis', inputs: { x: [3, 5] }, attrs: { axis: -1, batchDims: 0 }, indices: [[2], [4, 1]] },
];

// Inputs are random in [-1, 1): an epsilon above 1 keeps variance + epsilon positive.
const batchNormCases: KernelCase[] = [
  {
    label: 'per-channel statistics, offset and scale',
    inputs: { x: [3, 4, 2, 5], mean: [5], variance: [5], offset: [5], scale: [5] },
    attrs: { varianceEpsilon: 1.5 },
  },
  { label: 'no offset or scale', inputs: { x: [6, 3], mean: [3], variance: [3] }, attrs: { varianceEpsilon: 1.1 } },
  { label: 'full-shape statistics', inputs: { x: [2, 3], mean: [2, 3], variance: [2, 3], scale: [2, 3] }, attrs: { varianceEpsilon: 2 } },
  // 37 channels: nine vectors of four and one channel left over in each row.
  {
    label: '37 channels',
    inputs: { x: [2, 3, 37], mean: [37], variance: [37], offset: [37], scale: [37] },
    attrs: { varianceEpsilon: 1.5 },
  },
];

/**
 * Batch normalisation's training passes (src/normalization-ops; the cpu backend runs them as tfjs ops):
 * 7 channels (a vector of four and three single channels), 37 (sweeps of 8 or 16, then 4, then 1), ranks 2 to 4.
 */
const momentsCases: KernelCase[] = [
  { label: 'NHWC, 7 channels', inputs: { x: [5, 3, 2, 7] }, attrs: {} },
  { label: '[rows, 37 channels]', inputs: { x: [11, 37] }, attrs: {} },
  { label: '[150 rows (three blocks), 19 channels]', inputs: { x: [150, 19] }, attrs: {} },
];
const gradientSumsCases: KernelCase[] = [
  { label: 'NHWC, 7 channels', inputs: { dy: [5, 3, 2, 7], x: [5, 3, 2, 7], mean: [7] }, attrs: {} },
  { label: '[rows, 37 channels]', inputs: { dy: [3, 4, 37], x: [3, 4, 37], mean: [37] }, attrs: {} },
  { label: '90 rows (two blocks), 37 channels', inputs: { dy: [3, 5, 6, 37], x: [3, 5, 6, 37], mean: [37] }, attrs: {} },
  {
    label: '80 rows of dy +-512 that cancel, 37 channels',
    inputs: { dy: [80, 37], x: [80, 37], mean: [37] },
    attrs: {},
    cancellingRows: 'dy',
  },
];
const perChannel = (shape: Shape) => {
  const vector = [shape[shape.length - 1]];
  return { dy: shape, x: shape, dyScale: vector, mean: vector, centeredScale: vector, shift: vector };
};
const inputGradientCases: KernelCase[] = [
  { label: 'NHWC, 7 channels', inputs: perChannel([5, 3, 2, 7]), attrs: {} },
  { label: '[rows, 37 channels]', inputs: perChannel([9, 37]), attrs: {} },
  { label: 'a [1, C] vector (composed of tfjs ops)', inputs: { ...perChannel([4, 3, 6]), shift: [1, 6] }, attrs: {} },
  { label: 'a full-shape mean (composed of tfjs ops)', inputs: { ...perChannel([4, 3, 6]), mean: [4, 3, 6] }, attrs: {} },
];

/**
 * The per-channel arithmetic between the passes: one value per channel (1, odd and wide counts). Inputs are random in
 * [-1, 1): an epsilon above 1 keeps variance + epsilon positive, except with a zero variance.
 */
const scalesOf = (channels: number) => ({ variance: [channels], gamma: [channels], dySums: [channels], centeredSums: [channels] });
const gradientScalesCases: KernelCase[] = [
  { label: '1 channel', inputs: scalesOf(1), attrs: { epsilon: 1.5, count: 64 }, bitExact: true },
  { label: '7 channels, odd count', inputs: scalesOf(7), attrs: { epsilon: 1.1, count: 75 }, bitExact: true },
  { label: '1027 channels', inputs: scalesOf(1027), attrs: { epsilon: 1.001, count: 4096 }, bitExact: true },
  { label: 'zero variance, epsilon 1e-3', inputs: scalesOf(37), attrs: { epsilon: 1e-3, count: 50 }, zeroed: 'variance', bitExact: true },
  {
    label: 'a [1, C] gamma (composed of tfjs ops)',
    inputs: { ...scalesOf(6), gamma: [1, 6] },
    attrs: { epsilon: 1.5, count: 12 },
  },
];
const movingAveragesCases: KernelCase[] = [
  { label: 'one pair, 1 channel', inputs: { average0: [1], value0: [1] }, attrs: { momentum: 0.99 }, bitExact: true },
  {
    label: 'mean and variance, 37 channels',
    inputs: { average0: [37], value0: [37], average1: [37], value1: [37] },
    attrs: { momentum: 0.9 },
    bitExact: true,
  },
  {
    label: 'three pairs of 7, 1027 and 3 channels, momentum 0.1',
    inputs: { average0: [7], value0: [7], average1: [1027], value1: [1027], average2: [3], value2: [3] },
    attrs: { momentum: 0.1 },
    bitExact: true,
  },
  {
    label: 'a [1, C] value (composed of tfjs ops)',
    inputs: { average0: [5], value0: [5], average1: [5], value1: [1, 5] },
    attrs: { momentum: 0.99 },
  },
];

/** Leading-axes reductions run in the pack; the others are passed on to tfjs-backend-wasm and checked too. */
const reductionCases: KernelCase[] = [
  {
    label: 'NHWC over [0, 1, 2] (batch-norm and bias gradients)',
    inputs: { x: [5, 3, 2, 7] },
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  // 39 columns: two sweeps of 16, one of 4, three single columns.
  { label: 'over [0, 1], 39 columns', inputs: { x: [6, 5, 39] }, attrs: { axis: [0, 1], keepDims: false } },
  // 77 rows: a block of 64 rows and one of 13.
  { label: 'over [0, 1], 77 rows of 21 columns', inputs: { x: [7, 11, 21] }, attrs: { axis: [0, 1], keepDims: false } },
  {
    label: 'over [0, 1], 80 rows of +-512 that cancel',
    inputs: { x: [10, 8, 21] },
    attrs: { axis: [0, 1], keepDims: false },
    cancellingRows: 'x',
  },
  { label: 'over [1, 0] unsorted, keepDims, odd row count', inputs: { x: [3, 3, 4] }, attrs: { axis: [1, 0], keepDims: true } },
  { label: 'every axis (axis null)', inputs: { x: [4, 6] }, attrs: { axis: null, keepDims: false } },
  { label: 'last axis (passed on)', inputs: { x: [4, 6] }, attrs: { axis: [1], keepDims: false } },
  { label: 'middle axis (passed on)', inputs: { x: [2, 3, 4] }, attrs: { axis: [1], keepDims: false } },
];

/** The output shape of max pooling `x` with MaxPool's `attrs` (filterSize, strides, pad, dimRoundingMode). */
export function pooledShape(x: Shape, attrs: Record<string, unknown>): Shape {
  return tf.backend_util.computePool2DInfo(
    x as [number, number, number, number],
    attrs.filterSize as number,
    attrs.strides as number,
    1,
    attrs.pad as 'same',
    attrs.dimRoundingMode as 'ceil' | undefined,
  ).outShape;
}

/** Max-pooling gradients: the output is only passed through (the cpu kernel recomputes the maxima from the input). */
function maxPoolGradCases(): KernelCase[] {
  const pools: { label: string; x: Shape; attrs: Record<string, unknown> }[] = [
    { label: '2x2 valid stride 2 (simple-cnn)', x: [2, 8, 6, 3], attrs: { filterSize: 2, strides: 2, pad: 'valid' } },
    { label: '3x3 same stride 2 odd size (ResNet stem), 6 channels', x: [2, 9, 7, 6], attrs: { filterSize: 3, strides: 2, pad: 'same' } },
    {
      label: '3x3 same stride 1 (every pixel in 9 windows), 7 channels',
      x: [2, 6, 5, 7],
      attrs: { filterSize: 3, strides: 1, pad: 'same' },
    },
    { label: '3x2 valid strides [1,2]', x: [1, 7, 8, 2], attrs: { filterSize: [3, 2], strides: [1, 2], pad: 'valid' } },
    { label: '3x3 numeric pad 1 stride 2 ceil', x: [2, 8, 8, 2], attrs: { filterSize: 3, strides: 2, pad: 1, dimRoundingMode: 'ceil' } },
  ];
  return pools.flatMap(({ label, x, attrs }) => {
    const pooled = pooledShape(x, attrs);
    const inputs = { dy: pooled, input: x, output: pooled };
    return [
      { label: `${label}, random input`, inputs, attrs },
      { label: `${label}, ReLU-zeroed input (ties)`, inputs, attrs, reluZeroedInput: true },
    ];
  });
}

const fusedAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'linear' };
const fusedConv2dCases: KernelCase[] = [
  { label: '3x3 same on a 1x1 map (only the centre reads input)', inputs: { x: [2, 1, 1, 8], filter: [3, 3, 8, 6] }, attrs: fusedAttrs },
  {
    label: '3x3 same on a 1x1 map, bias and relu',
    inputs: { x: [2, 1, 1, 8], filter: [3, 3, 8, 6], bias: [6] },
    attrs: { ...fusedAttrs, activation: 'relu' },
  },
  { label: '5x5 same on a 2x3 map', inputs: { x: [2, 2, 3, 4], filter: [5, 5, 4, 3] }, attrs: fusedAttrs },
  {
    label: '3x3 explicit pads [2,0] [0,3] on a 2x2 map',
    inputs: { x: [1, 2, 2, 3], filter: [3, 3, 3, 2] },
    attrs: {
      ...fusedAttrs,
      pad: [
        [0, 0],
        [2, 0],
        [0, 3],
        [0, 0],
      ],
    },
  },
  {
    label: '3x3 same stride 2 on a 1x1 map (not trimmed)',
    inputs: { x: [2, 1, 1, 8], filter: [3, 3, 8, 6] },
    attrs: { ...fusedAttrs, strides: 2 },
  },
  { label: '3x3 valid, every tap reads input', inputs: { x: [2, 5, 4, 3], filter: [3, 3, 3, 2] }, attrs: { ...fusedAttrs, pad: 'valid' } },
  // Maps of a few pixels are products with the dense filter matrix.
  {
    label: '3x3 same on a 2x2 map, bias and relu (dense product)',
    inputs: { x: [3, 2, 2, 5], filter: [3, 3, 5, 4], bias: [4] },
    attrs: { ...fusedAttrs, activation: 'relu' },
  },
  {
    label: '3x3 same on a 1x2 map, prelu per channel (dense product)',
    inputs: { x: [2, 1, 2, 3], filter: [3, 3, 3, 4], preluActivationWeights: [4] },
    attrs: { ...fusedAttrs, activation: 'prelu' },
  },
  {
    label: '3x3 explicit pads on a 2x2 map (dense, zero blocks)',
    inputs: { x: [2, 2, 2, 3], filter: [3, 3, 3, 2], bias: [2] },
    attrs: {
      ...fusedAttrs,
      pad: [
        [0, 0],
        [2, 0],
        [1, 1],
        [0, 0],
      ],
    },
  },
  // 1x1 filters are matrix products of the pixels they read.
  {
    label: '1x1 stride 1, bias and relu',
    inputs: { x: [2, 3, 4, 5], filter: [1, 1, 5, 6], bias: [6] },
    attrs: { ...fusedAttrs, activation: 'relu' },
  },
  { label: '1x1 stride 2 odd size', inputs: { x: [2, 5, 7, 3], filter: [1, 1, 3, 4] }, attrs: { ...fusedAttrs, strides: 2 } },
  {
    label: '1x1 strides [2,3] valid, even size',
    inputs: { x: [1, 6, 8, 3], filter: [1, 1, 3, 2] },
    attrs: { ...fusedAttrs, strides: [2, 3], pad: 'valid' },
  },
  {
    label: '1x1 explicit pads (zero border)',
    inputs: { x: [1, 3, 3, 2], filter: [1, 1, 2, 3], bias: [3] },
    attrs: {
      ...fusedAttrs,
      pad: [
        [0, 0],
        [1, 0],
        [0, 2],
        [0, 0],
      ],
    },
  },
  {
    label: '1x1 prelu per channel',
    inputs: { x: [2, 2, 3, 4], filter: [1, 1, 4, 3], preluActivationWeights: [3] },
    attrs: { ...fusedAttrs, activation: 'prelu' },
  },
  {
    label: '1x1 prelu per element (not a product)',
    inputs: { x: [2, 2, 3, 4], filter: [1, 1, 4, 3], preluActivationWeights: [2, 3, 3] },
    attrs: { ...fusedAttrs, activation: 'prelu' },
  },
];

export const casesByKernel: Record<string, KernelCase[]> = {
  ...conv2dCases(),
  ...depthwiseCases(),
  BatchMatMul: batchMatMulCases,
  Cast: castCases,
  [CHANNEL_MOMENTS]: momentsCases,
  [NORMALIZATION_GRADIENT_SUMS]: gradientSumsCases,
  [NORMALIZATION_GRADIENT_SCALES]: gradientScalesCases,
  [MOVING_AVERAGES]: movingAveragesCases,
  [NORMALIZATION_INPUT_GRADIENT]: inputGradientCases,
  FusedBatchNorm: batchNormCases,
  FusedConv2D: fusedConv2dCases,
  GatherV2: gatherCases,
  Identity: identityCases,
  _FusedMatMul: fusedMatMulCases,
  MaxPoolGrad: maxPoolGradCases(),
  Mean: reductionCases,
  Reverse: reverseCases,
  Slice: sliceCases,
  Sum: reductionCases,
  Tile: tileCases,
  Transpose: transposeCases,
};

/** Runs `kernelName` on the cpu backend and on `backend`, and compares every output on its own scale. */
export function expectMatchesCpu(backend: string, kernelName: string, testCase: KernelCase): void {
  const expectedOutputs = runOn('cpu', kernelName, testCase);
  const actualOutputs = runOn(backend, kernelName, testCase);
  expect(actualOutputs.map((values) => values.length)).toEqual(expectedOutputs.map((values) => values.length));
  expectedOutputs.forEach((expected, output) => {
    const actual = actualOutputs[output];
    // Which tied position gets a window's gradient is all or nothing: max pooling must match bit for bit.
    if (kernelName === 'MaxPoolGrad' || testCase.bitExact) expect(firstDifference(actual, expected)).toBe(-1);
    // Each output on its own scale: a small sum next to a large one must be as right.
    let scale = 1;
    let worst = 0;
    for (let i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    expect(worst / scale).toBeLessThan(1e-5);
  });
}
