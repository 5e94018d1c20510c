import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormConfig } from '../kernels/fused-batch-norm';
import { channelMomentsConfig, normalizationGradientSumsConfig, normalizationInputGradientConfig } from '../kernels/normalization';
import { heapKernelConfig, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';

import type { OneDnnAddon } from './addon';
import { NATIVE_MIN_VALUES } from './elementwise';
import { countRun, heapFloats, offsetOf, passOn } from './native-call';

/**
 * Batch normalisation's passes natively (native/src/batch-norm.cc): the package's training ops
 * (../normalization-ops) and FusedBatchNorm. A case runs natively where every tensor is float32, the activations
 * (`activations`) have the activation's shape of rank >= 2 and the per-channel inputs one value per channel
 * ([C] or [1, ..., 1, C]); anything else, and activations below NATIVE_MIN_VALUES, pass on to the wasm kernel.
 */
function normalizationKernel(
  replaced: tf.KernelConfig,
  activations: string[],
  run: (args: HeapKernelArgs, at: (name: string) => number, rows: number, channels: number) => tf.TensorInfo[] | tf.TensorInfo,
): tf.KernelConfig {
  const kernelName = replaced.kernelName;
  const kernelFunc = (args: HeapKernelArgs) => {
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
    const native = shape.length >= 2 && size >= NATIVE_MIN_VALUES && Object.entries(inputs).every(fits);
    countRun(kernelName, native);
    if (!native) return passOn(replaced)(args);
    return run(args, (name) => offsetOf(args.backend, inputs[name]), size / channels, channels);
  };
  return heapKernelConfig(kernelName, kernelFunc);
}

/** Allocates float32 outputs of the given shapes and returns them with a heap view taken after the allocations. */
function outputs(args: HeapKernelArgs, ...shapes: number[][]): { heap: Float32Array; infos: tf.TensorInfo[]; at: number[] } {
  const infos = shapes.map((shape) => (args.backend as WasmHeapBackend).makeOutput(shape, 'float32'));
  return { heap: heapFloats(args.backend, infos[infos.length - 1]), infos, at: infos.map((info) => offsetOf(args.backend, info)) };
}

export function normalizationKernels(addon: OneDnnAddon): tf.KernelConfig[] {
  return [
    normalizationKernel(channelMomentsConfig, ['x'], (args, at, rows, channels) => {
      const { heap, infos, at: out } = outputs(args, [channels], [channels]);
      addon.channelMoments(heap, rows, channels, at('x'), out[0], out[1]);
      return infos;
    }),
    normalizationKernel(normalizationGradientSumsConfig, ['dy', 'x'], (args, at, rows, channels) => {
      const { heap, infos, at: out } = outputs(args, [channels], [channels]);
      addon.normalizationGradientSums(heap, rows, channels, at('dy'), at('x'), at('mean'), out[0], out[1]);
      return infos;
    }),
    normalizationKernel(normalizationInputGradientConfig, ['dy', 'x'], (args, at, rows, channels) => {
      const { heap, infos, at: out } = outputs(args, (args.inputs.dy as tf.TensorInfo).shape);
      const vectors = ['dyScale', 'mean', 'centeredScale', 'shift'].map(at);
      addon.normalizationInputGradient(heap, rows, channels, at('dy'), at('x'), ...vectors, out[0]);
      return infos;
    }),
    normalizationKernel(fusedBatchNormConfig, ['x'], (args, at, rows, channels) => {
      const { heap, infos, at: out } = outputs(args, (args.inputs.x as tf.TensorInfo).shape);
      const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
      addon.batchNormInference(
        heap,
        rows,
        channels,
        at('x'),
        at('mean'),
        at('variance'),
        at('offset'),
        at('scale'),
        varianceEpsilon,
        out[0],
      );
      return infos[0];
    }),
  ];
}
