import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import type { NativeKernel, NativeTensors } from './native-call';

/** The addon takes at most this many parts (its argument count is bounded). */
const MAX_PARTS = 16;

/** Rows before the axis, and each part's values per row. */
function rowsAndInner(shapes: number[][], axis: number): { rows: number; inners: number[] } {
  return { rows: tf.util.sizeFromShape(shapes[0].slice(0, axis)), inners: shapes.map((shape) => tf.util.sizeFromShape(shape.slice(axis))) };
}

/**
 * Concat along any axis: block copies natively, in parallel over the rows before the axis (tfjs-backend-wasm copies
 * them one by one from JavaScript). Empty parts are left out, as tfjs-backend-wasm does.
 */
function concat(addon: OneDnnAddon): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const all = args.inputs as unknown as tf.TensorInfo[];
    const axis = tf.util.parseAxisParam((args.attrs as unknown as tf.ConcatAttrs).axis, all[0].shape)[0];
    const parts = all.filter((part) => tf.util.sizeFromShape(part.shape) > 0);
    if (parts.length < 2 || parts.length > MAX_PARTS || all.some((part) => part.dtype !== 'float32')) return null;
    const output = tensors.output(
      tf.backend_util.computeOutShape(
        all.map((part) => part.shape),
        axis,
      ),
    );
    const { rows, inners } = rowsAndInner(
      parts.map((part) => part.shape),
      axis,
    );
    const partArguments = parts.flatMap((part, index) => [inners[index], tensors.at(part)]);
    addon.concatenate(tensors.heap(), rows, parts.length, tensors.at(output), ...partArguments);
    return output;
  };
  return { kernelName: tf.Concat, run, wasmFallback: (args) => runReplacedKernel(tf.Concat, args) };
}

/** SplitV along any axis: the inverse block copies (tfjs-backend-wasm slices each part with a scalar loop). */
function splitV(addon: OneDnnAddon): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { numOrSizeSplits, axis: axisAttr } = args.attrs as unknown as tf.SplitVAttrs;
    const axis = tf.util.parseAxisParam(axisAttr, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, axis);
    const native =
      x.dtype === 'float32' && sizes.length <= MAX_PARTS && tf.util.sizeFromShape(x.shape) > 0 && sizes.every((size) => size > 0);
    if (!native) return null;
    const outputs = sizes.map((size) => tensors.output(x.shape.map((extent, at) => (at === axis ? size : extent))));
    const { rows, inners } = rowsAndInner(
      outputs.map((output) => output.shape),
      axis,
    );
    const partArguments = outputs.flatMap((output, index) => [inners[index], tensors.at(output)]);
    addon.split(tensors.heap(), rows, outputs.length, tensors.at(x), ...partArguments);
    return outputs;
  };
  return { kernelName: tf.SplitV, run, wasmFallback: (args) => runReplacedKernel(tf.SplitV, args) as unknown as tf.TensorInfo[] };
}

export function concatKernels(addon: OneDnnAddon): NativeKernel[] {
  return [concat(addon), splitV(addon)];
}
