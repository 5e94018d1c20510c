import * as tf from '@tensorflow/tfjs';
import { casesByKernel, explicitPads, geometries, type KernelCase } from './kernel-cases';

/**
 * Cases of the native kernels that are not memory-bound (native-memory-cases.ts has those): the wasm kernels' cases
 * and layer sizes where oneDNN takes its vectorised paths (channels in multiples of 16, ResNet's and AlexNet's
 * shapes). native-kernels.test.ts runs them on the wasm backend, onednn-backend.test.ts on the 'onednn' backend.
 */

export type Shape4 = [number, number, number, number];
const convAttrs = { dataFormat: 'NHWC', dilations: 1, activation: 'linear', leakyreluAlpha: 0.2 };
const layerSizes: { label: string; x: number[]; filter: number[]; attrs: Record<string, unknown> }[] = [
  { label: '3x3 same, 32 -> 64 channels', x: [4, 8, 8, 32], filter: [3, 3, 32, 64], attrs: { strides: 1, pad: 'same' } },
  { label: '1x1 stride 2, 64 -> 128 channels', x: [4, 8, 8, 64], filter: [1, 1, 64, 128], attrs: { strides: 2, pad: 'same' } },
  { label: '7x7 stride 2 stem, 3 -> 64 channels', x: [2, 16, 16, 3], filter: [7, 7, 3, 64], attrs: { strides: 2, pad: 'same' } },
  { label: '3x3 same on a 1x1 map, 64 -> 64', x: [8, 1, 1, 64], filter: [3, 3, 64, 64], attrs: { strides: 1, pad: 'same' } },
  { label: '5x5 valid, 16 -> 48 channels', x: [3, 9, 9, 16], filter: [5, 5, 16, 48], attrs: { strides: 1, pad: 'valid' } },
];

function convolutionCases(): Record<string, KernelCase[]> {
  const all = [...geometries, ...layerSizes];
  const gradients = (kernel: string) =>
    layerSizes.map(({ label, x, filter, attrs }): KernelCase => {
      const info = tf.backend_util.computeConv2DInfo(
        x as [number, number, number, number],
        filter as [number, number, number, number],
        attrs.strides as number,
        1,
        attrs.pad as 'same',
      );
      const common = { ...attrs, dataFormat: 'NHWC' };
      return kernel === 'Conv2DBackpropFilter'
        ? { label, inputs: { x, dy: info.outShape }, attrs: { ...common, filterShape: filter } }
        : { label, inputs: { dy: info.outShape, filter }, attrs: { ...common, inputShape: x } };
    });
  return {
    Conv2D: [
      ...all.map(({ label, x, filter, attrs }) => ({ label, inputs: { x, filter }, attrs: { ...convAttrs, ...attrs } })),
      {
        label: '3x3 same dilation 2',
        inputs: { x: [2, 9, 9, 16], filter: [3, 3, 16, 32] },
        attrs: { ...convAttrs, strides: 1, pad: 'same', dilations: 2 },
      },
      {
        label: '3x3 explicit pads',
        inputs: { x: [2, 7, 8, 16], filter: [3, 3, 16, 16] },
        attrs: { ...convAttrs, strides: 2, pad: explicitPads },
      },
    ],
    FusedConv2D: [
      ...casesByKernel.FusedConv2D,
      ...(['relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'] as const).map((activation, index) => {
        const { label, x, filter, attrs } = layerSizes[index % layerSizes.length];
        return {
          label: `${label}, bias and ${activation}`,
          inputs: { x, filter, bias: [filter[3]] },
          attrs: { ...convAttrs, ...attrs, activation },
        };
      }),
    ],
    Conv2DBackpropInput: [...casesByKernel.Conv2DBackpropInput, ...gradients('Conv2DBackpropInput')],
    Conv2DBackpropFilter: [...casesByKernel.Conv2DBackpropFilter, ...gradients('Conv2DBackpropFilter')],
  };
}

const productAttrs = { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0.2 };
const lrnAttrs = { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 };
const lrnCases = (inputs: string[]): KernelCase[] =>
  [
    { label: 'AlexNet-like: radius 2, 16 channels', shape: [2, 3, 4, 16], attrs: lrnAttrs },
    { label: 'radius wider than the channels', shape: [1, 2, 2, 5], attrs: { ...lrnAttrs, depthRadius: 7, beta: 0.5 } },
    { label: 'radius 0, odd channels, beta 1 (by pow)', shape: [3, 2, 3, 7], attrs: { ...lrnAttrs, depthRadius: 0, bias: 2, beta: 1 } },
  ].map(({ label, shape, attrs }) => ({ label, inputs: Object.fromEntries(inputs.map((name) => [name, shape])), attrs }));

export const casesByNativeKernel: Record<string, KernelCase[]> = {
  ...convolutionCases(),
  Concat: [
    { label: 'channels of NHWC (an inception block)', inputs: { 0: [2, 3, 3, 4], 1: [2, 3, 3, 7], 2: [2, 3, 3, 1] }, attrs: { axis: 3 } },
    { label: 'axis 1, negative axis', inputs: { 0: [2, 3, 5], 1: [2, 1, 5] }, attrs: { axis: -2 } },
    { label: 'axis 0 (one row)', inputs: { 0: [3, 4], 1: [2, 4] }, attrs: { axis: 0 } },
    { label: 'an empty part (left out)', inputs: { 0: [2, 3], 1: [2, 0], 2: [2, 2] }, attrs: { axis: 1 } },
  ],
  SplitV: [
    { label: 'channels of NHWC, sizes', inputs: { x: [2, 3, 3, 12] }, attrs: { numOrSizeSplits: [4, 7, 1], axis: 3 } },
    { label: 'into 3 equal parts along axis 1', inputs: { x: [2, 6, 5] }, attrs: { numOrSizeSplits: 3, axis: 1 } },
    { label: 'a -1 size, axis 0', inputs: { x: [5, 4] }, attrs: { numOrSizeSplits: [2, -1], axis: 0 } },
  ],
  LRN: lrnCases(['x']),
  LRNGrad: lrnCases(['x', 'y', 'dy']),
  BatchMatMul: [
    ...casesByKernel.BatchMatMul,
    {
      label: 'dense layer gradient [64, 512]^T x [64, 100]',
      inputs: { a: [64, 512], b: [64, 100] },
      attrs: { transposeA: true, transposeB: false },
    },
    {
      label: 'batched both transposed, batch 3',
      inputs: { a: [3, 40, 33], b: [3, 17, 40] },
      attrs: { transposeA: true, transposeB: true },
    },
  ],
  _FusedMatMul: [
    ...casesByKernel._FusedMatMul,
    {
      label: 'dense layer [64, 512] x [512, 100], bias, relu',
      inputs: { a: [64, 512], b: [512, 100], bias: [100] },
      attrs: { ...productAttrs, activation: 'relu' },
    },
    {
      label: 'transposeB, sigmoid',
      inputs: { a: [16, 48], b: [32, 48], bias: [32] },
      attrs: { ...productAttrs, transposeB: true, activation: 'sigmoid' },
    },
  ],
};

/** Cases the native kernels pass on to the kernels they replaced: NCHW and prelu. */
export const passedOn = (testCase: KernelCase) => testCase.attrs.activation === 'prelu' || testCase.attrs.dataFormat === 'NCHW';
