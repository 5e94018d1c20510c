import * as tf from '@tensorflow/tfjs';
import { asTensor } from './kernel-tensors';
import { simdKernels } from '../simd';
import { heapAddress, heapKernelConfig, type WasmHeapBackend } from './wasm-heap';

/**
 * Batch normalisation with given statistics, (x - mean) * scale / sqrt(variance + epsilon) + offset, as
 * x * k + (offset - mean * k) with k = scale / sqrt(variance + epsilon): the per-channel factors are small, and one
 * pass of the pack's SIMD kernel over x (./simd; two broadcast ops where the statistics are not one value per
 * channel) runs far faster than tfjs-backend-wasm's FusedBatchNorm loop.
 */
function fusedBatchNorm({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
  const tensor = (name: string) => (inputs[name] ? asTensor(inputs[name], tf.FusedBatchNorm) : undefined);
  const [x, mean, variance, offset, scale] = [tensor('x')!, tensor('mean')!, tensor('variance')!, tensor('offset'), tensor('scale')];
  const [factor, shift] = tf.tidy(() => {
    const inverseStd = tf.rsqrt(tf.add(variance, varianceEpsilon));
    const factor = scale ? tf.mul(scale, inverseStd) : inverseStd;
    const negatedShift = tf.mul(mean, factor);
    return [factor, offset ? tf.sub(offset, negatedShift) : tf.neg(negatedShift)];
  });
  try {
    const channels = x.shape[x.shape.length - 1];
    const perChannel = (vector: tf.Tensor) => vector.rank === 1 && vector.size === channels;
    if (x.dtype !== 'float32' || x.rank < 2 || !perChannel(factor) || !perChannel(shift))
      return tf.tidy(() => tf.add(tf.mul(x, factor), shift));
    const output = (backend as WasmHeapBackend).makeOutput(x.shape, 'float32');
    const address = (info: tf.TensorInfo) => heapAddress(backend, info.dataId);
    simdKernels(backend).scaleShift(address(x), address(factor), address(shift), address(output), x.size / channels, channels);
    return output;
  } finally {
    tf.dispose([factor, shift]);
  }
}

export const fusedBatchNormConfig = heapKernelConfig(tf.FusedBatchNorm, fusedBatchNorm);
