import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { simdKernels } from '../simd';
import { heapAddress, heapKernelConfig, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';

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
 * filters for input gradients. tfjs-backend-wasm's kernel takes 5-8 ns per value for these; the pack's SIMD kernel
 * (./simd) under 1. Other permutations (most keep the last axis, so they are block copies tfjs-backend-wasm does
 * fast), and other types than float32, go to tfjs-backend-wasm's kernel.
 */
function transpose(args: HeapKernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const { perm } = args.attrs as unknown as tf.TransposeAttrs;
  const merged = mergeAdjacentAxes(x.shape, perm);
  const matrices = x.dtype === 'float32' ? matrixTransposes(merged.shape, merged.perm.join()) : null;
  if (!matrices) return runReplacedKernel(tf.Transpose, args);
  const output = (args.backend as WasmHeapBackend).makeOutput(
    perm.map((axis) => x.shape[axis]),
    x.dtype,
  );
  const [from, to] = [heapAddress(args.backend, x.dataId), heapAddress(args.backend, output.dataId)];
  const kernels = simdKernels(args.backend);
  for (const { read, write } of matrices.places) {
    kernels.transpose(from + 4 * read.offset, to + 4 * write.offset, matrices.rows, matrices.columns, read.rowStride, write.rowStride);
  }
  return output;
}

/** The matrices a merged permutation transposes (rows x columns each, read from and written to these places). */
function matrixTransposes(
  shape: number[],
  perm: string,
): { rows: number; columns: number; places: { read: MatrixPlace; write: MatrixPlace }[] } | null {
  const indexes = (count: number) => Array.from({ length: count }, (_, index) => index);
  if (perm === '1,0') {
    const [rows, columns] = shape;
    return { rows, columns, places: [{ read: { offset: 0, rowStride: columns }, write: { offset: 0, rowStride: rows } }] };
  }
  if (perm === '0,2,1') {
    const [batch, rows, columns] = shape;
    const size = rows * columns;
    return {
      rows,
      columns,
      places: indexes(batch).map((m) => ({ read: { offset: m * size, rowStride: columns }, write: { offset: m * size, rowStride: rows } })),
    };
  }
  if (perm === '2,1,0') {
    // out[c][b][a] = in[a][b][c]: for each b, the a x c matrix.
    const [rows, middle, columns] = shape;
    return {
      rows,
      columns,
      places: indexes(middle).map((b) => ({
        read: { offset: b * columns, rowStride: middle * columns },
        write: { offset: b * rows, rowStride: middle * rows },
      })),
    };
  }
  return null;
}

export const transposeConfig = heapKernelConfig(tf.Transpose, transpose);
