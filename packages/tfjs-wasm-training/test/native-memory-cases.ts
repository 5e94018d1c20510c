import {
  BATCH_NORM_GRADIENT,
  BATCH_NORM_TRAINING,
  CHANNEL_MOMENTS,
  NORMALIZATION_GRADIENT_SUMS,
  NORMALIZATION_INPUT_GRADIENT,
} from '../src/normalization-ops';
import { MOMENTUM_UPDATE, SGD_UPDATE } from '../src/optimizer-ops';
import { RELU_GRADIENT } from '../src/relu-gradient';
import { casesByKernel, pooledShape, type KernelCase } from './kernel-cases';

/**
 * Cases for the native memory-bound kernels (element-wise ops, batch normalisation's passes, max pooling, sums), run by
 * native-memory-kernels.test.ts: the wasm kernels' cases (small: they pass on to the wasm kernels) and NHWC
 * activations large enough to run natively, with channels in multiples of 16 and odd sizes. Each case says whether
 * it runs natively.
 */

/** A case and whether the native kernel runs it (false: passed on to the kernel it replaced). */
export type NativeCase = KernelCase & { native: boolean };

const nhwc = [8, 8, 8, 64];
const odd = [7, 11, 13, 37];
const large = [64, 16, 16, 64];
const small = [4, 6];

const binaryCases = (): NativeCase[] => [
  { label: 'same shape [8,8,8,64]', inputs: { a: nhwc, b: nhwc }, attrs: {}, native: true },
  { label: 'per-channel vector [64] as b', inputs: { a: nhwc, b: [64] }, attrs: {}, native: true },
  { label: 'per-channel [1,1,1,64] as a', inputs: { a: [1, 1, 1, 64], b: nhwc }, attrs: {}, native: true },
  { label: 'odd [7,11,13,37] by [37]', inputs: { a: odd, b: [37] }, attrs: {}, native: true },
  { label: 'scalar b', inputs: { a: odd, b: [] }, attrs: {}, native: true },
  { label: 'scalar [1] as a', inputs: { a: [1], b: nhwc }, attrs: {}, native: true },
  { label: 'per-pixel [8,8,8,1] (passed on)', inputs: { a: nhwc, b: [8, 8, 8, 1] }, attrs: {}, native: false },
  { label: 'outer product [64,1] x [1,64] (passed on)', inputs: { a: [64, 1], b: [1, 64] }, attrs: {}, native: false },
  { label: 'small [4,6] (passed on)', inputs: { a: small, b: small }, attrs: {}, native: false },
];

const reluCases: NativeCase[] = [
  { label: '[8,8,8,64]', inputs: { x: nhwc }, attrs: {}, native: true },
  { label: 'odd [7,11,13,37]', inputs: { x: odd }, attrs: {}, native: true },
  { label: 'small [4,6] (passed on)', inputs: { x: small }, attrs: {}, native: false },
];

// No size threshold: the fused kernel replaces three tfjs kernels at any size.
const reluGradientCases: NativeCase[] = [
  { label: '[8,8,8,64]', inputs: { dy: nhwc, x: nhwc }, attrs: {}, native: true, bitExact: true },
  { label: '[64,16,16,64] (in parallel)', inputs: { dy: large, x: large }, attrs: {}, native: true, bitExact: true },
  { label: 'small odd [4,6]', inputs: { dy: small, x: small }, attrs: {}, native: true, bitExact: true },
  { label: 'x broadcast over dy (composed ops)', inputs: { dy: small, x: [6] }, attrs: {}, native: false },
];

/** An optimizer update's inputs for weights of `shapes`: `names`{i} of each weight's shape. */
const weights = (shapes: number[][], names: string[]) =>
  Object.fromEntries(shapes.flatMap((shape, i) => names.map((name) => [`${name}${i}`, shape])));
// A filter, a bias, a scalar, one 1M-value weight (updated in parallel) and an odd one.
const weightShapes = [[3, 3, 16, 32], [32], [1], large, [7, 11, 13]];
const mismatched = { value0: small, gradient0: [6], accumulation0: small };

const optimizerCases: Record<string, NativeCase[]> = {
  [SGD_UPDATE]: [
    {
      label: 'five weights',
      inputs: weights(weightShapes, ['value', 'gradient']),
      attrs: { learningRate: 0.037 },
      native: true,
      bitExact: true,
    },
    { label: 'gradient of another shape (composed ops)', inputs: mismatched, attrs: { learningRate: 0.5 }, native: false },
  ],
  [MOMENTUM_UPDATE]: [true, false].flatMap((nesterov) => [
    {
      label: `five weights${nesterov ? ', Nesterov' : ''}`,
      inputs: weights(weightShapes, ['value', 'gradient', 'accumulation']),
      attrs: { learningRate: 0.037, momentum: 0.9, nesterov },
      native: true,
      bitExact: true,
    },
    {
      label: `gradient of another shape (composed ops)${nesterov ? ', Nesterov' : ''}`,
      inputs: mismatched,
      attrs: { learningRate: 0.5, momentum: 0.3, nesterov },
      native: false,
    },
  ]),
};

/** The wasm kernels' cases are below NATIVE_MIN_VALUES, so they check the passing on. */
const smallCases = (kernelName: string): NativeCase[] =>
  casesByKernel[kernelName].map((testCase) => ({ ...testCase, label: `${testCase.label} (passed on)`, native: false }));

const vectors = (channels: number, names: string[]) => Object.fromEntries(names.map((name) => [name, [channels]]));
const inputGradientInputs = (shape: number[]) => ({
  dy: shape,
  x: shape,
  ...vectors(shape[shape.length - 1], ['dyScale', 'mean', 'centeredScale', 'shift']),
});

const normalizationCases: Record<string, NativeCase[]> = {
  [CHANNEL_MOMENTS]: [
    ...smallCases(CHANNEL_MOMENTS),
    { label: '[8,8,8,64]', inputs: { x: nhwc }, attrs: {}, native: true },
    { label: '[64,16,16,64] (in parallel)', inputs: { x: large }, attrs: {}, native: true },
    { label: 'odd [7,11,13,37]', inputs: { x: odd }, attrs: {}, native: true },
    { label: '1024 rows of +-512 that cancel, 48 channels', inputs: { x: [1024, 48] }, attrs: {}, cancellingRows: 'x', native: true },
  ],
  [NORMALIZATION_GRADIENT_SUMS]: [
    ...smallCases(NORMALIZATION_GRADIENT_SUMS),
    { label: '[8,8,8,64]', inputs: { dy: nhwc, x: nhwc, mean: [64] }, attrs: {}, native: true },
    { label: '[16,16,16,64]', inputs: { dy: [16, 16, 16, 64], x: [16, 16, 16, 64], mean: [64] }, attrs: {}, native: true },
    { label: 'odd [7,11,13,37]', inputs: { dy: odd, x: odd, mean: [37] }, attrs: {}, native: true },
    {
      label: '1024 rows of dy +-512 that cancel, 48 channels',
      inputs: { dy: [1024, 48], x: [1024, 48], mean: [48] },
      attrs: {},
      cancellingRows: 'dy',
      native: true,
    },
  ],
  [NORMALIZATION_INPUT_GRADIENT]: [
    ...smallCases(NORMALIZATION_INPUT_GRADIENT),
    { label: '[8,8,8,64]', inputs: inputGradientInputs(nhwc), attrs: {}, native: true },
    { label: 'odd [7,11,13,37]', inputs: inputGradientInputs(odd), attrs: {}, native: true },
    { label: 'a [1, C] shift', inputs: { ...inputGradientInputs(odd), shift: [1, 37] }, attrs: {}, native: true },
    { label: 'a full-shape mean (passed on)', inputs: { ...inputGradientInputs(odd), mean: odd }, attrs: {}, native: false },
  ],
  // Natively at any size (one call for two or three); inputs are random in [-1, 1): an epsilon above 1 keeps
  // variance + epsilon positive.
  [BATCH_NORM_TRAINING]: [
    ...[nhwc, odd, large, small].map((shape) => ({
      label: `[${shape}]`,
      inputs: { x: shape, ...vectors(shape[shape.length - 1], ['gamma', 'beta']) },
      attrs: { epsilon: 1e-3 },
      native: true,
    })),
    { label: 'a rank-1 x (composed ops)', inputs: { x: [37], gamma: [37], beta: [37] }, attrs: { epsilon: 1e-3 }, native: false },
  ],
  [BATCH_NORM_GRADIENT]: [
    ...[nhwc, odd, large, small].map((shape) => ({
      label: `[${shape}]`,
      inputs: { dy: shape, x: shape, ...vectors(shape[shape.length - 1], ['mean', 'variance', 'gamma']) },
      attrs: { epsilon: 1.5 },
      native: true,
    })),
    {
      label: '1024 rows of dy +-512 that cancel, 48 channels',
      inputs: { dy: [1024, 48], x: [1024, 48], ...vectors(48, ['mean', 'variance', 'gamma']) },
      attrs: { epsilon: 1.1 },
      cancellingRows: 'dy',
      native: true,
    },
    {
      label: 'a full-shape mean (composed ops)',
      inputs: { dy: odd, x: odd, mean: odd, ...vectors(37, ['variance', 'gamma']) },
      attrs: { epsilon: 1.5 },
      native: false,
    },
  ],
  FusedBatchNorm: [
    ...smallCases('FusedBatchNorm'),
    {
      label: '[8,8,8,64], offset and scale',
      inputs: { x: nhwc, ...vectors(64, ['mean', 'variance', 'offset', 'scale']) },
      attrs: { varianceEpsilon: 1.5 },
      native: true,
    },
    {
      label: 'odd [7,11,13,37], no offset or scale',
      inputs: { x: odd, ...vectors(37, ['mean', 'variance']) },
      attrs: { varianceEpsilon: 1.1 },
      native: true,
    },
    {
      label: '[1,1,1,C] statistics',
      inputs: { x: nhwc, ...Object.fromEntries(['mean', 'variance', 'scale'].map((name) => [name, [1, 1, 1, 64]])) },
      attrs: { varianceEpsilon: 2 },
      native: true,
    },
    {
      label: 'full-shape statistics (passed on)',
      inputs: { x: odd, mean: odd, variance: odd },
      attrs: { varianceEpsilon: 2 },
      native: false,
    },
  ],
};

/** Sum and Mean: the reductions over leading axes of bias gradients run natively, others pass on. */
const reductionCases = (kernelName: string): NativeCase[] => [
  ...smallCases(kernelName),
  { label: '[8,8,8,64] over [0,1,2]', inputs: { x: nhwc }, attrs: { axis: [0, 1, 2], keepDims: false }, native: true },
  { label: '[8,8,8,64] over [2,0,1], keepDims', inputs: { x: nhwc }, attrs: { axis: [2, 0, 1], keepDims: true }, native: true },
  { label: '[64,16,16,64] over [0,1,2] (in parallel)', inputs: { x: large }, attrs: { axis: [0, 1, 2], keepDims: false }, native: true },
  { label: 'odd [7,11,13,37] over [0]', inputs: { x: odd }, attrs: { axis: 0, keepDims: false }, native: true },
  {
    label: '1024 rows of +-512 that cancel, 48 channels',
    inputs: { x: [1024, 48] },
    attrs: { axis: [0], keepDims: false },
    cancellingRows: 'x',
    native: true,
  },
  { label: '[8,8,8,64] over [1,2] (passed on)', inputs: { x: nhwc }, attrs: { axis: [1, 2], keepDims: false }, native: false },
];

/** Pooling geometries on activations large enough to run natively; each with random and with ReLU-zeroed input. */
const pools: { label: string; x: number[]; attrs: Record<string, unknown> }[] = [
  { label: '2x2 valid stride 2, [64,16,16,64] (in parallel)', x: large, attrs: { filterSize: 2, strides: 2, pad: 'valid' } },
  { label: '3x3 same stride 2 (ResNet stem), [8,16,16,64]', x: [8, 16, 16, 64], attrs: { filterSize: 3, strides: 2, pad: 'same' } },
  { label: '3x3 same stride 1 odd [9,9,13,37]', x: [9, 9, 13, 37], attrs: { filterSize: 3, strides: 1, pad: 'same' } },
  { label: '3x2 valid strides [1,2], [8,13,10,32]', x: [8, 13, 10, 32], attrs: { filterSize: [3, 2], strides: [1, 2], pad: 'valid' } },
  {
    label: '3x3 pad 1 stride 2 ceil, [12,8,8,48]',
    x: [12, 8, 8, 48],
    attrs: { filterSize: 3, strides: 2, pad: 1, dimRoundingMode: 'ceil' },
  },
];

function poolCases(gradient: boolean): NativeCase[] {
  return pools.flatMap(({ label, x, attrs }) => {
    const pooled = pooledShape(x, attrs);
    const inputs: Record<string, number[]> = gradient ? { dy: pooled, input: x, output: pooled } : { x };
    const tied = gradient ? { reluZeroedInput: true } : {};
    return [
      { label: `${label}, random input`, inputs, attrs, native: true },
      { label: `${label}, ReLU-zeroed input (ties)`, inputs, attrs, ...tied, native: true },
    ];
  });
}

export const casesByMemoryKernel: Record<string, NativeCase[]> = {
  Relu: reluCases,
  [RELU_GRADIENT]: reluGradientCases,
  ...optimizerCases,
  ...Object.fromEntries(['Sub', 'Multiply', 'RealDiv', 'Maximum'].map((kernelName) => [kernelName, binaryCases()])),
  // One batch of ResNet's activations (the test's slowest case: the cpu backend and the inputs' making take seconds).
  Add: [...binaryCases(), { label: 'same shape [64,16,16,64] (in parallel)', inputs: { a: large, b: large }, attrs: {}, native: true }],
  ...normalizationCases,
  MaxPool: [
    ...poolCases(false),
    { label: 'small [1,4,4,2] (passed on)', inputs: { x: [1, 4, 4, 2] }, attrs: pools[0].attrs, native: false },
  ],
  MaxPoolGrad: [...smallCases('MaxPoolGrad'), ...poolCases(true)],
  Sum: reductionCases('Sum'),
  Mean: reductionCases('Mean'),
};
