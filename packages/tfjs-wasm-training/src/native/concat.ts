import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { heapKernelConfig, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { countRun, heapFloats, offsetOf } from './native-call';

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
function concat(addon: OneDnnAddon) {
  return (args: HeapKernelArgs): tf.TensorInfo => {
    const all = args.inputs as unknown as tf.TensorInfo[];
    const axis = tf.util.parseAxisParam((args.attrs as unknown as tf.ConcatAttrs).axis, all[0].shape)[0];
    const parts = all.filter((part) => tf.util.sizeFromShape(part.shape) > 0);
    const native = parts.length >= 2 && parts.length <= MAX_PARTS && all.every((part) => part.dtype === 'float32');
    countRun(tf.Concat, native);
    if (!native) return runReplacedKernel(tf.Concat, args);
    const output = (args.backend as WasmHeapBackend).makeOutput(
      tf.backend_util.computeOutShape(
        all.map((part) => part.shape),
        axis,
      ),
      'float32',
    );
    const { rows, inners } = rowsAndInner(
      parts.map((part) => part.shape),
      axis,
    );
    const partNumbers = parts.flatMap((part, index) => [inners[index], offsetOf(args.backend, part)]);
    addon.concatenate(heapFloats(args.backend, output), rows, parts.length, offsetOf(args.backend, output), ...partNumbers);
    return output;
  };
}

/** SplitV along any axis: the inverse block copies (tfjs-backend-wasm slices each part with a scalar loop). */
function splitV(addon: OneDnnAddon) {
  return (args: HeapKernelArgs): tf.TensorInfo[] => {
    const x = args.inputs.x as tf.TensorInfo;
    const { numOrSizeSplits, axis: axisAttr } = args.attrs as unknown as tf.SplitVAttrs;
    const axis = tf.util.parseAxisParam(axisAttr, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, axis);
    const native =
      x.dtype === 'float32' && sizes.length <= MAX_PARTS && tf.util.sizeFromShape(x.shape) > 0 && sizes.every((size) => size > 0);
    countRun(tf.SplitV, native);
    if (!native) return runReplacedKernel(tf.SplitV, args) as unknown as tf.TensorInfo[];
    const backend = args.backend as WasmHeapBackend;
    const outputs = sizes.map((size) =>
      backend.makeOutput(
        x.shape.map((extent, at) => (at === axis ? size : extent)),
        'float32',
      ),
    );
    const { rows, inners } = rowsAndInner(
      outputs.map((output) => output.shape),
      axis,
    );
    const partNumbers = outputs.flatMap((output, index) => [inners[index], offsetOf(args.backend, output)]);
    addon.split(heapFloats(args.backend, outputs[outputs.length - 1]), rows, outputs.length, offsetOf(args.backend, x), ...partNumbers);
    return outputs;
  };
}

export function concatKernels(addon: OneDnnAddon): tf.KernelConfig[] {
  return [heapKernelConfig(tf.Concat, concat(addon)), heapKernelConfig(tf.SplitV, splitV(addon))];
}
