import * as tf from '@tensorflow/tfjs';
import { leadingAxesReduction, meanConfig, sumConfig } from '../kernels/reduce-leading-axes';
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
    const reduction = leadingAxesReduction(replaced.kernelName, args);
    if (!reduction || reduction.rows * reduction.columns < NATIVE_MIN_VALUES) return null;
    const { rows, columns, divisor, outShape } = reduction;
    const output = tensors.output(outShape);
    addon.channelSums(tensors.heap(), rows, columns, divisor, tensors.at(args.inputs.x as tf.TensorInfo), tensors.at(output));
    return output;
  };
  return { kernelName: replaced.kernelName, run, wasmFallback: passOn(replaced) };
}

export function reductionKernels(addon: OneDnnAddon): NativeKernel[] {
  return [reduceLeadingAxes(addon, sumConfig), reduceLeadingAxes(addon, meanConfig)];
}
