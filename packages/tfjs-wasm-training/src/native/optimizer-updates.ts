import * as tf from '@tensorflow/tfjs';
import { runComposed } from '../composed-ops';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import { MOMENTUM_UPDATE, SGD_UPDATE, weightCount } from '../optimizer-ops';
import type { OneDnnAddon } from './addon';
import type { NativeKernel, NativeTensors, TensorArgument } from './native-call';

/** The inputs `names`{i} of every weight i, where all are float32 of one shape; else null (the composed ops run). */
function weightTensors(inputs: tf.NamedTensorInfoMap, names: string[]): tf.TensorInfo[][] | null {
  const weights = Array.from({ length: weightCount(inputs) }, (_, i) => names.map((name) => inputs[`${name}${i}`]));
  const fits = (tensors: (tf.TensorInfo | undefined)[]): tensors is tf.TensorInfo[] =>
    tensors.every((tensor) => tensor?.dtype === 'float32' && tf.util.arraysEqual(tensor.shape, tensors[0]!.shape));
  return weights.every(fits) ? (weights as tf.TensorInfo[][]) : null;
}

/**
 * An optimizer update kernel: allocates `outputsPerWeight` outputs of each weight's shape (all before taking the heap:
 * an allocation may move it), then runs `update` on each weight; outputs are ordered as the op's (each kind for all
 * weights, then the next kind).
 */
function updateKernel(
  kernelName: string,
  inputNames: string[],
  outputsPerWeight: number,
  update: (heap: Float32Array, args: HeapKernelArgs, size: number, inputs: TensorArgument[], outputs: TensorArgument[]) => void,
): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const weights = weightTensors(args.inputs, inputNames);
    if (!weights) return null;
    if (weights.length === 0) return [];
    const outputs = Array.from({ length: outputsPerWeight }, () => weights.map(([value]) => tensors.output(value.shape)));
    const heap = tensors.heap();
    weights.forEach((inputs, i) =>
      update(
        heap,
        args,
        tf.util.sizeFromShape(inputs[0].shape),
        inputs.map((input) => tensors.at(input)),
        outputs.map((kind) => tensors.at(kind[i])),
      ),
    );
    return outputs.flat();
  };
  return { kernelName, run, wasmFallback: (args) => runComposed(kernelName, args.inputs as tf.NamedTensorMap, args.attrs) };
}

/** SGD and Momentum updates natively, one call per weight (single-threaded below kParallelValues, native/src/elementwise.h). */
export function optimizerUpdateKernels(addon: OneDnnAddon): NativeKernel[] {
  const stepOf = (args: HeapKernelArgs) => Math.fround(-(args.attrs!.learningRate as number));
  return [
    updateKernel(SGD_UPDATE, ['value', 'gradient'], 1, (heap, args, size, [value, gradient], [out]) =>
      addon.sgdUpdate(heap, size, stepOf(args), value, gradient, out),
    ),
    updateKernel(MOMENTUM_UPDATE, ['value', 'gradient', 'accumulation'], 2, (heap, args, size, inputs, outputs) => {
      const { momentum, nesterov } = args.attrs as { momentum: number; nesterov: boolean };
      addon.momentumUpdate(heap, size, stepOf(args), Math.fround(momentum), nesterov ? 1 : 0, ...inputs, ...outputs);
    }),
  ];
}
