import * as tf from '@tensorflow/tfjs';
import { advanceCoordinates, heapKernelConfig, heapOutput, stridesOf, type HeapKernelArgs } from './wasm-heap';

/**
 * Reverses a tensor along some axes. Replaces tfjs-backend-wasm's own kernel, which computes every element's
 * coordinates and took about a quarter of a ResNet-50 training step (mirroring filters for the input gradients):
 * the axes after the last reversed one stay in order, so each block of them is one contiguous copy.
 */
function reverse({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const axes = tf.util.parseAxisParam((attrs as unknown as tf.ReverseAttrs).dims, x.shape);
  const {
    output,
    outputValues: out,
    inputValues: [values],
  } = heapOutput(backend, x.shape, x.dtype, [x]);
  if (x.shape.length === 0 || axes.length === 0) {
    out.set(values);
    return output;
  }
  const lastAxis = Math.max(...axes);
  const blockShape = x.shape.slice(0, lastAxis + 1);
  const blockSize = x.shape.slice(lastAxis + 1).reduce((a, b) => a * b, 1);
  const blockStrides = stridesOf(blockShape);
  const reversed = blockShape.map((_, axis) => axes.includes(axis));
  const coordinates = new Array<number>(blockShape.length).fill(0);
  const blocks = blockShape.reduce((a, b) => a * b, 1);
  for (let block = 0; block < blocks; block++) {
    let source = 0;
    for (let axis = 0; axis < blockShape.length; axis++) {
      source += (reversed[axis] ? blockShape[axis] - 1 - coordinates[axis] : coordinates[axis]) * blockStrides[axis];
    }
    if (blockSize === 1) out[block] = values[source];
    else out.set(values.subarray(source * blockSize, (source + 1) * blockSize), block * blockSize);
    advanceCoordinates(coordinates, blockShape);
  }
  return output;
}

export const reverseConfig = heapKernelConfig(tf.Reverse, reverse);
