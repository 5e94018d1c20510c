import * as tf from '@tensorflow/tfjs';
import { runComposed } from '../composed-ops';
import { heapKernelConfig, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';
import { MOMENTUM_UPDATE, SGD_UPDATE, weightCount } from '../optimizer-ops';
import type { OneDnnAddon } from './addon';
import { countRun, heapFloats, offsetOf } from './native-call';

/** The inputs `names`{i} of every weight i, where all are float32 of one shape; else null (the composed ops run). */
function weightTensors(inputs: tf.NamedTensorInfoMap, names: string[]): tf.TensorInfo[][] | null {
  const weights = Array.from({ length: weightCount(inputs) }, (_, i) => names.map((name) => inputs[`${name}${i}`]));
  const fits = (tensors: (tf.TensorInfo | undefined)[]): tensors is tf.TensorInfo[] =>
    tensors.every((tensor) => tensor?.dtype === 'float32' && tf.util.arraysEqual(tensor.shape, tensors[0]!.shape));
  return weights.every(fits) ? (weights as tf.TensorInfo[][]) : null;
}

/**
 * An optimizer update kernel: allocates `outputsPerWeight` outputs of each weight's shape (all before taking the heap
 * view: an allocation may grow the heap), then runs `update` on each weight; outputs are ordered as the op's (each
 * kind for all weights, then the next kind).
 */
function updateKernel(
  kernelName: string,
  inputNames: string[],
  outputsPerWeight: number,
  update: (heap: Float32Array, args: HeapKernelArgs, size: number, inputs: number[], outputs: number[]) => void,
): tf.KernelConfig {
  return heapKernelConfig(kernelName, (args) => {
    const weights = weightTensors(args.inputs, inputNames);
    countRun(kernelName, weights !== null);
    if (!weights) return runComposed(kernelName, args.inputs as tf.NamedTensorMap, args.attrs);
    if (weights.length === 0) return [];
    const backend = args.backend as WasmHeapBackend;
    const outputs = Array.from({ length: outputsPerWeight }, () => weights.map(([value]) => backend.makeOutput(value.shape, 'float32')));
    const heap = heapFloats(args.backend, outputs[0][0]);
    weights.forEach((tensors, i) =>
      update(
        heap,
        args,
        tf.util.sizeFromShape(tensors[0].shape),
        tensors.map((tensor) => offsetOf(args.backend, tensor)),
        outputs.map((kind) => offsetOf(args.backend, kind[i])),
      ),
    );
    return outputs.flat();
  });
}

/** SGD and Momentum updates natively, one call per weight (single-threaded below kParallelValues, native/src/elementwise.h). */
export function optimizerUpdateKernels(addon: OneDnnAddon): tf.KernelConfig[] {
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
