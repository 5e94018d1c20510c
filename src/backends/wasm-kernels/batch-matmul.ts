import * as tf from '@tensorflow/tfjs';
import { asTensor } from './kernel-tensors';
import { replacedKernel } from './replaced-kernels';

/** Swaps the last two axes: the layout a matrix product with transposeA/transposeB reads. */
function transposeMatrices(x: tf.Tensor): tf.Tensor {
  const axes = x.shape.map((_, axis) => axis);
  [axes[x.rank - 2], axes[x.rank - 1]] = [axes[x.rank - 1], axes[x.rank - 2]];
  return tf.transpose(x, axes);
}

/**
 * Matrix product. tfjs-backend-wasm's kernel is fast (XNNPACK) without transposes but 10-40x slower with
 * transposeA or transposeB, which every dense layer's gradient uses: transposing explicitly first is far cheaper.
 */
function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo | tf.Tensor {
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  const original = replacedKernel(tf.BatchMatMul);
  if (!transposeA && !transposeB) return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  return tf.tidy(() => {
    const a = asTensor(args.inputs.a, tf.BatchMatMul);
    const b = asTensor(args.inputs.b, tf.BatchMatMul);
    // Reaches this kernel again, without transposes.
    return tf.matMul(transposeA ? transposeMatrices(a) : a, transposeB ? transposeMatrices(b) : b);
  });
}

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as tf.KernelFunc,
};
