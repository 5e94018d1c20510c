import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig, fusedBatchMatMulConfig } from '../kernels/batch-matmul';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { ACTIVATION_CODES, passOn, type NativeKernel, type NativeTensors } from './native-call';

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The product's sizes as native/src/matmul.cc reads them, and its output shape; null where the batches broadcast
 * other than one against many (those stay with the wasm kernels).
 */
export function productSizes(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): { numbers: number[]; outShape: number[] } | null {
  const [aRows, aColumns] = a.shape.slice(-2);
  const [bRows, bColumns] = b.shape.slice(-2);
  const [rows, inner] = transposeA ? [aColumns, aRows] : [aRows, aColumns];
  const columns = transposeB ? bRows : bColumns;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const [batchA, batchB] = [product(aBatch), product(bBatch)];
  const sameBatches = aBatch.length === bBatch.length && aBatch.every((size, axis) => size === bBatch[axis]);
  if (!sameBatches && batchA !== 1 && batchB !== 1) return null;
  if ([rows, inner, columns, batchA, batchB].some((size) => size === 0)) return null;
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  return {
    numbers: [batchA, batchB, rows, inner, columns, Number(transposeA), Number(transposeB)],
    outShape: [...outBatch, rows, columns],
  };
}

function matMulKernel(addon: OneDnnAddon, kernelName: string, replaced: tf.KernelConfig): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
    const activation = ACTIVATION_CODES[attrs.activation ?? 'linear'];
    const floats = [a, b, bias].every((info) => !info || info.dtype === 'float32');
    const sizes =
      floats && activation !== undefined && !preluActivationWeights ? productSizes(a!, b!, attrs.transposeA, attrs.transposeB) : null;
    const columns = sizes?.outShape[sizes.outShape.length - 1];
    // A bias per column only (tfjs also allows one broadcast over the whole output).
    if (sizes === null || (bias && !(bias.shape.length === 1 && bias.shape[0] === columns))) return null;
    const output = tensors.output(sizes.outShape);
    const { at } = tensors;
    addon.matMul(tensors.heap(), ...sizes.numbers, at(a), at(b), at(bias), at(output), activation!, attrs.leakyreluAlpha ?? 0);
    return output;
  };
  return { kernelName, run, wasmFallback: passOn(replaced) };
}

/** BatchMatMul and _FusedMatMul by oneDNN; a case oneDNN is not given goes to the kernel it replaced. */
export function matMulKernels(addon: OneDnnAddon): NativeKernel[] {
  return [matMulKernel(addon, tf.BatchMatMul, batchMatMulConfig), matMulKernel(addon, tf._FusedMatMul, fusedBatchMatMulConfig)];
}
