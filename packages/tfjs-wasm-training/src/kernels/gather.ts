import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { heapKernelConfig, heapOutput, type HeapKernelArgs } from './wasm-heap';

/**
 * Gathers slices of x along `axis` by index, as block copies over the heap. tfjs-backend-wasm's kernel copies
 * element by element (about 40 ms for 16 slices of 64k values, which small-map convolutions gather from their
 * filters every step). Gathers with batch dimensions, and string tensors, go to tfjs-backend-wasm's kernel.
 */
function gatherV2(args: HeapKernelArgs): tf.TensorInfo {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims = 0 } = args.attrs as unknown as tf.GatherV2Attrs;
  if (batchDims !== 0 || x.dtype === 'string') return runReplacedKernel(tf.GatherV2, args);
  const along = tf.util.parseAxisParam(axis, x.shape)[0];
  const outer = tf.util.sizeFromShape(x.shape.slice(0, along));
  const dimension = x.shape[along];
  const inner = tf.util.sizeFromShape(x.shape.slice(along + 1));
  const outShape = [...x.shape.slice(0, along), ...indices.shape, ...x.shape.slice(along + 1)];
  const {
    output,
    outputValues: out,
    inputValues: [values, picks],
  } = heapOutput(args.backend, outShape, x.dtype, [x, indices]);
  for (const index of picks) {
    if (index < 0 || index >= dimension) throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimension - 1}]`);
  }
  let written = 0;
  for (let block = 0; block < outer; block++) {
    for (const index of picks) {
      const from = (block * dimension + index) * inner;
      out.set(values.subarray(from, from + inner), written);
      written += inner;
    }
  }
  return output;
}

export const gatherV2Config = heapKernelConfig(tf.GatherV2, gatherV2);
