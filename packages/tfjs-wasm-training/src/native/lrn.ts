import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import type { NativeKernel, NativeTensors } from './native-call';

/**
 * Local response normalisation (AlexNet) and its gradient, natively (native/src/lrn.cc): tfjs-backend-wasm's are
 * scalar loops that sum each window anew, a third of an AlexNet training step here.
 */
function lrnKernel(addon: OneDnnAddon, kernelName: string, tensorNames: string[], lrn: OneDnnAddon['lrnForward']): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const inputs = tensorNames.map((name) => args.inputs[name] as tf.TensorInfo);
    const x = inputs[0];
    const native = x.shape.length === 4 && inputs.every((input) => input.dtype === 'float32') && x.shape.every((size) => size > 0);
    if (!native) return null;
    const { depthRadius, bias, alpha, beta } = args.attrs as unknown as tf.LRNAttrs;
    const channels = x.shape[3];
    const output = tensors.output(x.shape);
    const heap = tensors.heap();
    lrn(
      heap,
      tf.util.sizeFromShape(x.shape) / channels,
      channels,
      depthRadius,
      bias,
      alpha,
      beta,
      ...[...inputs, output].map((tensor) => tensors.at(tensor)),
    );
    return output;
  };
  return { kernelName, run, wasmFallback: (args) => runReplacedKernel(kernelName, args) };
}

export function lrnKernels(addon: OneDnnAddon): NativeKernel[] {
  return [lrnKernel(addon, tf.LRN, ['x'], addon.lrnForward), lrnKernel(addon, tf.LRNGrad, ['x', 'y', 'dy'], addon.lrnGradient)];
}
