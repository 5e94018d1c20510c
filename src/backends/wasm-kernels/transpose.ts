import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from './replaced-kernels';
import { heapOutput, type HeapKernelArgs } from './wasm-heap';

/**
 * The permutation with runs of axes that stay adjacent and in order merged into one axis, and the merged shape:
 * [64, 8, 8, 64] by [3, 1, 2, 0] is [64, 64, 64] by [2, 1, 0]; [3, 3, 256, 256] by [0, 1, 3, 2] is [9, 256, 256]
 * by [0, 2, 1].
 */
export function mergeAdjacentAxes(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  const groups: number[][] = [];
  for (const axis of perm) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] + 1 === axis) last.push(axis);
    else groups.push([axis]);
  }
  const byFirstAxis = [...groups].sort((a, b) => a[0] - b[0]);
  return {
    shape: byFirstAxis.map((group) => group.reduce((size, axis) => size * shape[axis], 1)),
    perm: groups.map((group) => byFirstAxis.indexOf(group)),
  };
}

/** Where a matrix is: its first value and the distance between its rows, in elements. */
interface MatrixPlace {
  offset: number;
  rowStride: number;
}

/**
 * Matrix transposes, of one matrix or of a batch ([1, 0], [0, 2, 1], and [2, 1, 0], e.g. a batch-as-channels view
 * for filter gradients, once adjacent axes are merged): the layout changes of matrix-product gradients and of
 * filters for input gradients. tfjs-backend-wasm's kernel takes 5-8 ns per value for these; copying four columns at
 * a time into four output rows, over the heap, takes about 2 (one column at a time: 3). Other permutations (most
 * keep the last axis, so they are block copies tfjs-backend-wasm does fast) go to tfjs-backend-wasm's kernel.
 */
function transpose(args: HeapKernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const { perm } = args.attrs as unknown as tf.TransposeAttrs;
  const merged = mergeAdjacentAxes(x.shape, perm);
  const matrices = x.dtype === 'string' ? null : matrixTransposes(merged.shape, merged.perm.join());
  if (!matrices) return runReplacedKernel(tf.Transpose, args);
  const { output, outputValues: out, inputValues: [values] } = heapOutput(args.backend, perm.map((axis) => x.shape[axis]), x.dtype, [x]);
  for (const { read, write } of matrices.places) transposeMatrix(values, out, matrices.rows, matrices.columns, read, write);
  return output;
}

/** The matrices a merged permutation transposes (rows x columns each, read from and written to these places). */
function matrixTransposes(shape: number[], perm: string): { rows: number; columns: number; places: { read: MatrixPlace; write: MatrixPlace }[] } | null {
  const indexes = (count: number) => Array.from({ length: count }, (_, index) => index);
  if (perm === '1,0') {
    const [rows, columns] = shape;
    return { rows, columns, places: [{ read: { offset: 0, rowStride: columns }, write: { offset: 0, rowStride: rows } }] };
  }
  if (perm === '0,2,1') {
    const [batch, rows, columns] = shape;
    const size = rows * columns;
    return { rows, columns, places: indexes(batch).map((m) => ({ read: { offset: m * size, rowStride: columns }, write: { offset: m * size, rowStride: rows } })) };
  }
  if (perm === '2,1,0') {
    // out[c][b][a] = in[a][b][c]: for each b, the a x c matrix.
    const [rows, middle, columns] = shape;
    return {
      rows,
      columns,
      places: indexes(middle).map((b) => ({ read: { offset: b * columns, rowStride: middle * columns }, write: { offset: b * rows, rowStride: middle * rows } })),
    };
  }
  return null;
}

/** out[write.offset + c * write.rowStride + r] = values[read.offset + r * read.rowStride + c] for the whole matrix. */
function transposeMatrix(values: ArrayLike<number>, out: { [index: number]: number }, rows: number, columns: number, read: MatrixPlace, write: MatrixPlace): void {
  const [inStride, outStride] = [read.rowStride, write.rowStride];
  let column = 0;
  // Four consecutive values of a row (one cache line) go to four output rows.
  for (; column + 4 <= columns; column += 4) {
    for (let row = 0, from = read.offset + column, to = write.offset + column * outStride; row < rows; row++, from += inStride, to++) {
      out[to] = values[from];
      out[to + outStride] = values[from + 1];
      out[to + 2 * outStride] = values[from + 2];
      out[to + 3 * outStride] = values[from + 3];
    }
  }
  for (; column < columns; column++) {
    for (let row = 0, from = read.offset + column, to = write.offset + column * outStride; row < rows; row++, from += inStride, to++) out[to] = values[from];
  }
}

export const transposeConfig: tf.KernelConfig = {
  kernelName: tf.Transpose,
  backendName: 'wasm',
  kernelFunc: transpose as unknown as tf.KernelFunc,
};
