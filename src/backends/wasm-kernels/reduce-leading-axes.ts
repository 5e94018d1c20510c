import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from './replaced-kernels';
import { heapOutput, type HeapKernelArgs } from './wasm-heap';

/**
 * Sum and Mean over leading axes: bias and batch-norm gradients reduce an NHWC activation over [0, 1, 2].
 * tfjs-backend-wasm first transposes the reduced axes to the end, then reduces in float32; here the rows of the
 * kept axes are added into float64 accumulators in place (as precise as the cpu backend, which also sums in
 * float64), eight rows at a time. Other reductions, and non-float32 tensors, go to tfjs-backend-wasm's kernels.
 */
function reduceLeadingAxes(kernelName: typeof tf.Sum | typeof tf.Mean) {
  return (args: HeapKernelArgs): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    if (x.dtype !== 'float32' || !axes.every((reduced, index) => reduced === index)) {
      return runReplacedKernel(kernelName, args);
    }
    const keptShape = x.shape.slice(axes.length);
    const outShape = keepDims ? [...x.shape.slice(0, axes.length).map(() => 1), ...keptShape] : keptShape;
    const { output, outputValues: out, inputValues: [values] } = heapOutput(args.backend, outShape, 'float32', [x]);
    const rowLength = out.length;
    const rows = rowLength === 0 ? 0 : values.length / rowLength;
    const sums = columnSums(values as Float32Array, rows, rowLength);
    if (kernelName === tf.Mean) for (let column = 0; column < rowLength; column++) sums[column] /= rows;
    out.set(sums);
    return output;
  };
}

/** The sums of the columns of a row-major [rows, rowLength] matrix, in float64. */
function columnSums(values: Float32Array, rows: number, rowLength: number): Float64Array {
  const sums = new Float64Array(rowLength);
  const r = rowLength;
  let row = 0;
  // Eight rows per pass: an eighth of the loads and stores of the accumulators (one row per pass is 3x slower, four 1.3x).
  for (; row + 8 <= rows; row += 8) {
    for (let column = 0, i = row * r; column < r; column++, i++) {
      sums[column] += values[i] + values[i + r] + values[i + 2 * r] + values[i + 3 * r] + values[i + 4 * r] + values[i + 5 * r] + values[i + 6 * r] + values[i + 7 * r];
    }
  }
  for (; row < rows; row++) for (let column = 0, i = row * r; column < r; column++, i++) sums[column] += values[i];
  return sums;
}

export const sumConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: reduceLeadingAxes(tf.Sum) as unknown as tf.KernelFunc,
};

export const meanConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'wasm',
  kernelFunc: reduceLeadingAxes(tf.Mean) as unknown as tf.KernelFunc,
};
