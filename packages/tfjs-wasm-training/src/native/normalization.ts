import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormConfig } from '../kernels/fused-batch-norm';
import { channelMomentsConfig, normalizationGradientSumsConfig, normalizationInputGradientConfig } from '../kernels/normalization';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import { runComposed } from '../composed-ops';
import { BATCH_NORM_GRADIENT, BATCH_NORM_TRAINING } from '../normalization-ops';
import type { OneDnnAddon } from './addon';
import { NATIVE_MIN_VALUES } from './elementwise';
import { passOn, type NativeKernel, type NativeTensors, type TensorArgument } from './native-call';

/** A batch-norm kernel's name, where its declined cases go on wasm, and the fewest activation values it runs natively. */
interface Replacement {
  kernelName: string;
  wasmFallback: NativeKernel['wasmFallback'];
  minValues: number;
}

/** A kernel that replaces one wasm kernel: activations below NATIVE_MIN_VALUES go to it. */
const replacing = (replaced: tf.KernelConfig): Replacement => ({
  kernelName: replaced.kernelName,
  wasmFallback: passOn(replaced),
  minValues: NATIVE_MIN_VALUES,
});

/**
 * A kernel that replaces a composition of the others (two or three kernel calls), natively at any size; declined
 * cases run the composition.
 */
const composing = (kernelName: string): Replacement => ({
  kernelName,
  wasmFallback: (args) => runComposed(kernelName, args.inputs as tf.NamedTensorMap, args.attrs) as unknown as tf.TensorInfo[],
  minValues: 0,
});

/**
 * Batch normalisation's passes natively (native/src/batch-norm.cc): the package's training ops
 * (../normalization-ops) and FusedBatchNorm. A case runs natively where every tensor is float32, the activations
 * (`activations`) have the activation's shape of rank >= 2 and the per-channel inputs one value per channel
 * ([C] or [1, ..., 1, C]); anything else, and activations below `minValues`, go to the fallback.
 */
function normalizationKernel(
  { kernelName, wasmFallback, minValues }: Replacement,
  activations: string[],
  normalize: (args: HeapKernelArgs, call: NormalizationCall) => tf.TensorInfo[] | tf.TensorInfo,
): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const inputs = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const shape = inputs[activations[0]]!.shape;
    const size = tf.util.sizeFromShape(shape);
    const channels = shape[shape.length - 1];
    const fits = ([name, input]: [string, tf.TensorInfo | undefined]) =>
      !input ||
      (input.dtype === 'float32' &&
        (activations.includes(name)
          ? tf.util.arraysEqual(input.shape, shape)
          : tf.util.sizeFromShape(input.shape) === channels && input.shape[input.shape.length - 1] === channels));
    if (shape.length < 2 || size === 0 || size < minValues || !Object.entries(inputs).every(fits)) return null;
    return normalize(args, { tensors, input: (name) => tensors.at(inputs[name]), rows: size / channels, channels });
  };
  return { kernelName, run, wasmFallback };
}

/** One native batch-norm call: its tensors, its inputs' arguments by name, and the activations' [rows, channels]. */
interface NormalizationCall {
  tensors: NativeTensors;
  input: (name: string) => TensorArgument;
  rows: number;
  channels: number;
}

/** Allocates float32 outputs of the given shapes and returns them with the heap, taken after the allocations. */
function outputs(tensors: NativeTensors, ...shapes: number[][]): { heap: Float32Array; infos: tf.TensorInfo[]; out: TensorArgument[] } {
  const infos = shapes.map((shape) => tensors.output(shape));
  return { heap: tensors.heap(), infos, out: infos.map((info) => tensors.at(info)) };
}

export function normalizationKernels(addon: OneDnnAddon): NativeKernel[] {
  return [
    normalizationKernel(composing(BATCH_NORM_TRAINING), ['x'], (args, { tensors, input, rows, channels }) => {
      const x = args.inputs.x as tf.TensorInfo;
      const { heap, infos, out } = outputs(tensors, x.shape, [channels], [channels]);
      const epsilon = (args.attrs as { epsilon: number }).epsilon;
      addon.batchNormTraining(heap, rows, channels, epsilon, input('x'), input('gamma'), input('beta'), ...out);
      return infos;
    }),
    normalizationKernel(composing(BATCH_NORM_GRADIENT), ['dy', 'x'], (args, { tensors, input, rows, channels }) => {
      const x = args.inputs.x as tf.TensorInfo;
      const { heap, infos, out } = outputs(tensors, x.shape, [channels], [channels]);
      const epsilon = (args.attrs as { epsilon: number }).epsilon;
      const saved = ['dy', 'x', 'mean', 'variance', 'gamma'].map(input);
      addon.batchNormGradient(heap, rows, channels, epsilon, ...saved, ...out);
      return infos;
    }),
    normalizationKernel(replacing(channelMomentsConfig), ['x'], (args, { tensors, input, rows, channels }) => {
      const { heap, infos, out } = outputs(tensors, [channels], [channels]);
      addon.channelMoments(heap, rows, channels, input('x'), out[0], out[1]);
      return infos;
    }),
    normalizationKernel(replacing(normalizationGradientSumsConfig), ['dy', 'x'], (args, { tensors, input, rows, channels }) => {
      const { heap, infos, out } = outputs(tensors, [channels], [channels]);
      addon.normalizationGradientSums(heap, rows, channels, input('dy'), input('x'), input('mean'), out[0], out[1]);
      return infos;
    }),
    normalizationKernel(replacing(normalizationInputGradientConfig), ['dy', 'x'], (args, { tensors, input, rows, channels }) => {
      const { heap, infos, out } = outputs(tensors, (args.inputs.dy as tf.TensorInfo).shape);
      const vectors = ['dyScale', 'mean', 'centeredScale', 'shift'].map(input);
      addon.normalizationInputGradient(heap, rows, channels, input('dy'), input('x'), ...vectors, out[0]);
      return infos;
    }),
    normalizationKernel(replacing(fusedBatchNormConfig), ['x'], (args, { tensors, input, rows, channels }) => {
      const { heap, infos, out } = outputs(tensors, (args.inputs.x as tf.TensorInfo).shape);
      const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
      const [x, mean, variance, offset, scale] = ['x', 'mean', 'variance', 'offset', 'scale'].map(input);
      addon.batchNormInference(heap, rows, channels, x, mean, variance, offset, scale, varianceEpsilon, out[0]);
      return infos[0];
    }),
  ];
}
