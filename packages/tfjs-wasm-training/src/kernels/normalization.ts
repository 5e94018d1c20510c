import * as tf from '@tensorflow/tfjs';
import { runComposed } from '../composed-ops';
import { CHANNEL_MOMENTS, NORMALIZATION_GRADIENT_SUMS, NORMALIZATION_INPUT_GRADIENT } from '../normalization-ops';
import { simdKernels } from '../simd';
import { heapAddress, heapKernelConfig, withHeapScratch, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';

/**
 * Batch normalisation's training passes (../normalization-ops) as single passes of the pack's SIMD kernels (./simd)
 * over the [values, channels] activation: moments in two passes (mean, then squared deviations, like the tfjs
 * ops), the gradient's two sums in one, its input gradient in one. float32 tensors whose per-channel inputs
 * have one value per channel take that path; anything else runs as the tfjs ops.
 */
function normalizationKernel(kernelName: string, run: (args: FusedArgs) => tf.TensorInfo[]) {
  return (args: HeapKernelArgs): tf.TensorInfo[] => {
    const activation = (args.inputs.dy ?? args.inputs.x) as tf.TensorInfo;
    const channels = activation.shape[activation.shape.length - 1];
    // dy and x have the activation's shape, the others (per-channel vectors) one value per channel.
    const fits = ([name, input]: [string, tf.TensorInfo]) =>
      input.dtype === 'float32' &&
      (name === 'dy' || name === 'x'
        ? tf.util.arraysEqual(input.shape, activation.shape)
        : input.shape.length === 1 && input.shape[0] === channels);
    if (activation.shape.length < 2 || channels === 0 || !(Object.entries(args.inputs) as [string, tf.TensorInfo][]).every(fits)) {
      return runComposed(kernelName, args.inputs as tf.NamedTensorMap) as unknown as tf.TensorInfo[];
    }
    const backend = args.backend as WasmHeapBackend;
    return run({
      address: (name) => heapAddress(args.backend, (args.inputs[name] as tf.TensorInfo).dataId),
      output: (shape) => {
        const info = backend.makeOutput(shape, 'float32');
        return { info, address: heapAddress(args.backend, info.dataId) };
      },
      scratch: (bytes, use) => withHeapScratch(args.backend, bytes, use),
      kernels: simdKernels(args.backend),
      shape: activation.shape,
      rows: tf.util.sizeFromShape(activation.shape) / channels,
      channels,
    });
  };
}

interface FusedArgs {
  address(input: string): number;
  output(shape: number[]): { info: tf.TensorInfo; address: number };
  /** Runs `use` with heap scratch of `bytes` (freed afterwards). */
  scratch(bytes: number, use: (address: number) => void): void;
  kernels: ReturnType<typeof simdKernels>;
  shape: number[];
  rows: number;
  channels: number;
}

const channelMoments = normalizationKernel(CHANNEL_MOMENTS, ({ address, output, scratch, kernels, rows, channels }) => {
  const [mean, variance] = [output([channels]), output([channels])];
  scratch(8 * channels, (sums) => {
    kernels.columnSums(address('x'), mean.address, sums, rows, channels, rows);
    kernels.centeredSquareSums(address('x'), mean.address, variance.address, sums, rows, channels, rows);
  });
  return [mean.info, variance.info];
});

const gradientSums = normalizationKernel(NORMALIZATION_GRADIENT_SUMS, ({ address, output, scratch, kernels, rows, channels }) => {
  const [dySums, centeredSums] = [output([channels]), output([channels])];
  scratch(2 * 8 * channels, (sums) =>
    kernels.gradientSums(address('dy'), address('x'), address('mean'), dySums.address, centeredSums.address, sums, rows, channels, 1),
  );
  return [dySums.info, centeredSums.info];
});

const inputGradient = normalizationKernel(NORMALIZATION_INPUT_GRADIENT, ({ address, output, kernels, shape, rows, channels }) => {
  const dx = output(shape);
  kernels.normalizationInputGradient(
    address('dy'),
    address('x'),
    address('dyScale'),
    address('mean'),
    address('centeredScale'),
    address('shift'),
    dx.address,
    rows,
    channels,
  );
  return [dx.info];
});

export const channelMomentsConfig = heapKernelConfig(CHANNEL_MOMENTS, channelMoments);
export const normalizationGradientSumsConfig = heapKernelConfig(NORMALIZATION_GRADIENT_SUMS, gradientSums);
export const normalizationInputGradientConfig = heapKernelConfig(NORMALIZATION_INPUT_GRADIENT, inputGradient);
