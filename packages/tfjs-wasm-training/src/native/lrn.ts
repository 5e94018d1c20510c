import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { heapKernelConfig, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { countRun, heapFloats, offsetOf } from './native-call';

/**
 * Local response normalisation (AlexNet) and its gradient, natively (native/src/lrn.cc): tfjs-backend-wasm's are
 * scalar loops that sum each window anew, a third of an AlexNet training step here.
 */
function lrnKernel(addon: OneDnnAddon, kernelName: string, tensorNames: string[], run: OneDnnAddon['lrnForward']) {
  return (args: HeapKernelArgs): tf.TensorInfo => {
    const tensors = tensorNames.map((name) => args.inputs[name] as tf.TensorInfo);
    const x = tensors[0];
    const native = x.shape.length === 4 && tensors.every((tensor) => tensor.dtype === 'float32') && x.shape.every((size) => size > 0);
    countRun(kernelName, native);
    if (!native) return runReplacedKernel(kernelName, args);
    const { depthRadius, bias, alpha, beta } = args.attrs as unknown as tf.LRNAttrs;
    const channels = x.shape[3];
    const output = (args.backend as WasmHeapBackend).makeOutput(x.shape, 'float32');
    const offsets = [...tensors, output].map((tensor) => offsetOf(args.backend, tensor));
    run(heapFloats(args.backend, output), tf.util.sizeFromShape(x.shape) / channels, channels, depthRadius, bias, alpha, beta, ...offsets);
    return output;
  };
}

export function lrnKernels(addon: OneDnnAddon): tf.KernelConfig[] {
  return [
    heapKernelConfig(tf.LRN, lrnKernel(addon, tf.LRN, ['x'], addon.lrnForward)),
    heapKernelConfig(tf.LRNGrad, lrnKernel(addon, tf.LRNGrad, ['x', 'y', 'dy'], addon.lrnGradient)),
  ];
}
