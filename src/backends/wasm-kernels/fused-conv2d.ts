import * as tf from '@tensorflow/tfjs';
import { asTensor, tapsReadingInput, trimTapsThatOnlyReadPadding } from './kernel-tensors';
import { replacedKernel } from './replaced-kernels';

/**
 * Forward convolution (with optional bias and activation). tfjs-backend-wasm re-packs the filter for XNNPACK every
 * training step, so filter taps that read only padding cost time for nothing: a 3x3 'same' convolution of a 1x1 map
 * (ResNet-50's last stage on 32x32 images) reads only the centre tap, and packing the other eight took most of the
 * call. Such filters are trimmed first; everything else goes to tfjs-backend-wasm's kernel unchanged.
 */
function fusedConv2d(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo | tf.Tensor {
  const original = replacedKernel(tf.FusedConv2D);
  const { inputs } = args;
  const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
  const x = inputs.x as tf.TensorInfo;
  const filterInfo = inputs.filter as tf.TensorInfo;
  const atUnitStrideAndDilation = [attrs.strides, attrs.dilations].every((value) => [value].flat().every((size) => size === 1));
  if (!atUnitStrideAndDilation || attrs.dataFormat !== 'NHWC' || (filterInfo.shape[0] === 1 && filterInfo.shape[1] === 1)) {
    return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterInfo.shape as [number, number, number, number],
    1,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const padding: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
  if (!tapsReadingInput(x.shape, filterInfo.shape, padding)) {
    return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  return tf.tidy(() => {
    const trimmed = trimTapsThatOnlyReadPadding(x.shape, asTensor<tf.Rank.R4>(filterInfo, tf.FusedConv2D), padding);
    // Reaches this kernel again with the trimmed filter, which has no taps left to drop.
    return tf.fused.conv2d({
      x: asTensor<tf.Rank.R4>(x, tf.FusedConv2D),
      filter: trimmed.filter,
      strides: 1,
      pad: trimmed.padding,
      bias: inputs.bias ? asTensor(inputs.bias, tf.FusedConv2D) : undefined,
      activation: attrs.activation,
      preluActivationWeights: inputs.preluActivationWeights ? asTensor(inputs.preluActivationWeights, tf.FusedConv2D) : undefined,
      leakyreluAlpha: attrs.leakyreluAlpha,
    });
  });
}

export const fusedConv2dConfig: tf.KernelConfig = {
  kernelName: tf.FusedConv2D,
  backendName: 'wasm',
  kernelFunc: fusedConv2d as unknown as tf.KernelFunc,
};
