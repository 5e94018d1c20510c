import * as tf from '@tensorflow/tfjs';
import { meanConfig, sumConfig } from '../kernels/reduce-leading-axes';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { NATIVE_MIN_VALUES } from './elementwise';
import { passOn, type NativeKernel, type NativeTensors } from './native-call';

/**
 * Sum and Mean over leading axes (bias gradients reduce an NHWC activation over [0, 1, 2]) natively, in parallel
 * (native/src/batch-norm.cc's channelSums); other reductions, dtypes and small tensors pass on. The cpu backend
 * transposes the reduced axes to the end first: on the onednn backend half of a VGG16 step before this kernel.
 */
function reduceLeadingAxes(addon: OneDnnAddon, replaced: tf.KernelConfig): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.every((reduced, index) => reduced === index);
    if (x.dtype !== 'float32' || !leading || tf.util.sizeFromShape(x.shape) < NATIVE_MIN_VALUES) return null;
    const keptShape = x.shape.slice(axes.length);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const output = tensors.output(keepDims ? [...axes.map(() => 1), ...keptShape] : keptShape);
    const divisor = replaced.kernelName === tf.Mean ? rows : 1;
    addon.channelSums(tensors.heap(), rows, tf.util.sizeFromShape(keptShape), divisor, tensors.at(x), tensors.at(output));
    return output;
  };
  return { kernelName: replaced.kernelName, run, wasmFallback: passOn(replaced) };
}

export function reductionKernels(addon: OneDnnAddon): NativeKernel[] {
  return [reduceLeadingAxes(addon, sumConfig), reduceLeadingAxes(addon, meanConfig)];
}
