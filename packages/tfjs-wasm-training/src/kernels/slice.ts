import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { advanceCoordinates, heapKernelConfig, heapOutput, stridesOf, type HeapKernelArgs } from './wasm-heap';

/**
 * A box of a tensor, copied as contiguous runs over the wasm heap. tfjs-backend-wasm's kernel first copies the whole
 * input out of the heap (`readSync`) and then walks a non-contiguous box element by element: taking the centre tap
 * of a 3x3x512x512 filter (see trimTapsThatOnlyReadPadding) cost about 20 ms, for 1 MB of output.
 */
function slice(args: HeapKernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return runReplacedKernel(tf.Slice, args);
  const attrs = args.attrs as unknown as tf.SliceAttrs;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
  const {
    output,
    outputValues: out,
    inputValues: [values],
  } = heapOutput(args.backend, size, x.dtype, [x]);
  if (out.length === 0) return output;
  const strides = stridesOf(x.shape);
  // Axes after `runAxis` are taken whole, so each step along the axes before it copies one contiguous run.
  let runAxis = x.shape.length - 1;
  while (runAxis > 0 && size[runAxis] === x.shape[runAxis]) runAxis--;
  const runLength = x.shape.length === 0 ? 1 : size[runAxis] * (strides[runAxis] ?? 1);
  const outerShape = size.slice(0, runAxis);
  const coordinates = new Array<number>(outerShape.length).fill(0);
  const runs = out.length / runLength;
  for (let run = 0; run < runs; run++) {
    let source = x.shape.length === 0 ? 0 : begin[runAxis] * strides[runAxis];
    for (let axis = 0; axis < outerShape.length; axis++) source += (begin[axis] + coordinates[axis]) * strides[axis];
    out.set(values.subarray(source, source + runLength), run * runLength);
    advanceCoordinates(coordinates, outerShape);
  }
  return output;
}

export const sliceConfig = heapKernelConfig(tf.Slice, slice);
