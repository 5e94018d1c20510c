import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { simdKernels } from '../simd';
import { heapAddress, heapKernelConfig, withHeapScratch, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';

/**
 * A Sum or Mean of float32 `args.inputs.x` over its leading axes as [rows, columns] (the reduced and the kept values)
 * with its output shape and the divisor of its sums (Mean: rows); null for any other reduction or dtype.
 */
export function leadingAxesReduction(
  kernelName: string,
  args: HeapKernelArgs,
): { rows: number; columns: number; divisor: number; outShape: number[] } | null {
  const x = args.inputs.x as tf.TensorInfo;
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  if (x.dtype !== 'float32' || !axes.every((reduced, index) => reduced === index)) return null;
  const keptShape = x.shape.slice(axes.length);
  const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  return {
    rows,
    columns: tf.util.sizeFromShape(keptShape),
    divisor: kernelName === tf.Mean ? rows : 1,
    outShape: keepDims ? [...axes.map(() => 1), ...keptShape] : keptShape,
  };
}

/**
 * Sum and Mean over leading axes: bias and batch-norm gradients reduce an NHWC activation over [0, 1, 2].
 * tfjs-backend-wasm first transposes the reduced axes to the end, then reduces in float32; here the pack's SIMD
 * kernel (./simd) adds the rows of the kept axes in place, in float64 (as the cpu backend does). Other reductions,
 * and non-float32 tensors, go to tfjs-backend-wasm's kernels.
 */
function reduceLeadingAxes(kernelName: typeof tf.Sum | typeof tf.Mean) {
  return (args: HeapKernelArgs): tf.TensorInfo => {
    const reduction = leadingAxesReduction(kernelName, args);
    if (!reduction) return runReplacedKernel(kernelName, args);
    const { rows, columns, divisor, outShape } = reduction;
    const x = args.inputs.x as tf.TensorInfo;
    const output = (args.backend as WasmHeapBackend).makeOutput(outShape, 'float32');
    withHeapScratch(args.backend, 8 * columns, (sums) =>
      simdKernels(args.backend).columnSums(
        heapAddress(args.backend, x.dataId),
        heapAddress(args.backend, output.dataId),
        sums,
        rows,
        columns,
        divisor,
      ),
    );
    return output;
  };
}

export const sumConfig = heapKernelConfig(tf.Sum, reduceLeadingAxes(tf.Sum));

export const meanConfig = heapKernelConfig(tf.Mean, reduceLeadingAxes(tf.Mean));
