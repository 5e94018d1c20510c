import * as tf from '@tensorflow/tfjs';
import { asTensor } from './kernel-tensors';
import { runReplacedKernel } from '../kernel-sources';
import { heapKernelConfig, type HeapKernelArgs } from './wasm-heap';

/**
 * Per value, XNNPACK packing the right operand of a product (which it does for every new tensor, so every training
 * step) costs about 8 times the pack's transpose kernel (measured here: 7-9 ns and 0.6-1 ns; timing
 * ResNet-50's products both ways agrees with the model at 8, not at 2.5).
 */
const PACK_COST_IN_TRANSPOSES = 8;

/** Swaps the last two axes: the layout a matrix product with transposeA/transposeB reads. */
function transposeMatrices(x: tf.Tensor): tf.Tensor {
  const axes = x.shape.map((_, axis) => axis);
  [axes[x.rank - 2], axes[x.rank - 1]] = [axes[x.rank - 1], axes[x.rank - 2]];
  return tf.transpose(x, axes);
}

/**
 * Whether op(a) x op(b), [m, k] x [k, n], is cheaper as (op(b)^T x op(a)^T)^T, which packs op(a) (m x k values)
 * instead of op(b) (k x n) at the price of transposes: worth it when m is well below n, e.g. the 64 pixels of
 * ResNet-50's last stage on 32x32 images against 2048 channels. The 0.75 margin keeps the choice one-sided, so the
 * swapped product never swaps back.
 */
export function productIsCheaperSwapped(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): boolean {
  const plain = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + PACK_COST_IN_TRANSPOSES * k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * n + PACK_COST_IN_TRANSPOSES * m * k;
  return swapped < 0.75 * plain;
}

/** The product's [m, k, n] if both operands are single matrices ([rows, columns], or [1, rows, columns]). */
function singleProductSize(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): [number, number, number] | null {
  const matrix = ({ shape }: tf.TensorInfo) => (shape.length === 2 ? shape : shape.length === 3 && shape[0] === 1 ? shape.slice(1) : null);
  const [aMatrix, bMatrix] = [matrix(a), matrix(b)];
  if (!aMatrix || !bMatrix) return null;
  const [m, k] = transposeA ? [aMatrix[1], aMatrix[0]] : aMatrix;
  return [m, k, transposeB ? bMatrix[0] : bMatrix[1]];
}

/**
 * Matrix product. tfjs-backend-wasm's kernel is fast (XNNPACK) without transposes but 10-40x slower with
 * transposeA or transposeB, which every dense layer's gradient uses: transposing explicitly first is far cheaper.
 * Single products are also oriented so that XNNPACK packs the smaller operand (productIsCheaperSwapped).
 */
function batchMatMul(args: HeapKernelArgs): tf.TensorInfo | tf.Tensor {
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  const size = singleProductSize(args.inputs.a as tf.TensorInfo, args.inputs.b as tf.TensorInfo, transposeA, transposeB);
  const swap = size !== null && productIsCheaperSwapped(...size, transposeA, transposeB);
  if (!transposeA && !transposeB && !swap) return runReplacedKernel(tf.BatchMatMul, args);
  return tf.tidy(() => {
    const a = asTensor(args.inputs.a, tf.BatchMatMul);
    const b = asTensor(args.inputs.b, tf.BatchMatMul);
    // Each reaches this kernel again, without transposes (and, swapped, with no reason to swap back).
    if (swap) return transposeMatrices(tf.matMul(transposeB ? b : transposeMatrices(b), transposeA ? a : transposeMatrices(a)));
    return tf.matMul(transposeA ? transposeMatrices(a) : a, transposeB ? transposeMatrices(b) : b);
  });
}

export const batchMatMulConfig = heapKernelConfig(tf.BatchMatMul, batchMatMul);

/** A fused product's activation, applied as its own op. */
function activate(x: tf.Tensor, attrs: tf._FusedMatMulAttrs, preluWeights: tf.Tensor | undefined): tf.Tensor {
  switch (attrs.activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, attrs.leakyreluAlpha);
    case 'prelu':
      return tf.prelu(x, preluWeights!);
    default:
      throw new Error(`_FusedMatMul (acaf wasm kernel pack): unknown activation '${String(attrs.activation)}'`);
  }
}

/**
 * Matrix product with bias and activation (dense layers; 1x1 convolutions, see FusedConv2D): where the swapped
 * orientation is cheaper (see productIsCheaperSwapped), the product swaps and the bias and activation follow as
 * ops; otherwise tfjs-backend-wasm's kernel runs unchanged.
 */
function fusedBatchMatMul(args: HeapKernelArgs): tf.TensorInfo | tf.Tensor {
  const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
  const size = singleProductSize(args.inputs.a as tf.TensorInfo, args.inputs.b as tf.TensorInfo, attrs.transposeA, attrs.transposeB);
  if (!size || !productIsCheaperSwapped(...size, attrs.transposeA, attrs.transposeB)) {
    return runReplacedKernel(tf._FusedMatMul, args);
  }
  return tf.tidy(() => {
    const operand = (name: string) => (args.inputs[name] ? asTensor(args.inputs[name], tf._FusedMatMul) : undefined);
    const product = tf.matMul(operand('a')!, operand('b')!, attrs.transposeA, attrs.transposeB);
    const bias = operand('bias');
    return activate(bias ? tf.add(product, bias) : product, attrs, operand('preluActivationWeights'));
  });
}

export const fusedBatchMatMulConfig = heapKernelConfig(tf._FusedMatMul, fusedBatchMatMul);
