import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { simdKernels } from '../simd';
import { heapAddress, heapKernelConfig, withHeapScratch, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';

/**
 * Sum and Mean over leading axes: bias and batch-norm gradients reduce an NHWC activation over [0, 1, 2].
 * tfjs-backend-wasm first transposes the reduced axes to the end, then reduces in float32; here the pack's SIMD
 * kernel (./simd) adds the rows of the kept axes in place, in float64 (as the cpu backend does). Other reductions,
 * and non-float32 tensors, go to tfjs-backend-wasm's kernels.
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
    const output = (args.backend as WasmHeapBackend).makeOutput(outShape, 'float32');
    const columns = tf.util.sizeFromShape(keptShape);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const divisor = kernelName === tf.Mean ? rows : 1;
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
