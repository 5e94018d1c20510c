import * as tf from '@tensorflow/tfjs';
import {
  asTensor,
  channelsLast,
  convolveWithSignedPads,
  fromChannelsLast,
  inputGradientPads,
  insertZerosBetweenPixels,
  padOrCrop,
  rotateFilter180,
} from './kernel-tensors';
import { convolvesAsDenseProduct, denseFilter } from './small-map-convolution';
import { heapKernelConfig } from './wasm-heap';

/**
 * Gradient of a convolution with respect to its input. Replaces tfjs-backend-wasm's own kernel, a scalar loop that
 * is 5-15x slower than XNNPACK: dx is the convolution of dy, zero-inserted by the stride, with the filter mirrored
 * in space and its channel axes swapped. A 1x1 filter convolves first and zero-inserts after (s*s less work); on a
 * map of a few pixels, dx is dy times the transposed dense filter matrix (see small-map-convolution).
 */
function conv2dBackpropInput({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  return tf.tidy(() => {
    const dy = channelsLast(asTensor<tf.Rank.R4>(inputs.dy, tf.Conv2DBackpropInput), dataFormat);
    const filter = asTensor<tf.Rank.R4>(inputs.filter, tf.Conv2DBackpropInput);
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, format);
    const stride: [number, number] = [info.strideHeight, info.strideWidth];
    const pads = inputGradientPads(info);
    if (info.filterHeight === 1 && info.filterWidth === 1) {
      return fromChannelsLast(padOrCrop(insertZerosBetweenPixels(pointwiseInputGradient(dy, filter), stride), pads), dataFormat);
    }
    if (convolvesAsDenseProduct(info)) {
      const dxRows = tf.matMul(tf.reshape(dy, [info.batchSize, -1]), denseFilter(filter, info, backend, 'inputsByOutputs'), false, true);
      return fromChannelsLast(tf.reshape(dxRows, [info.batchSize, info.inHeight, info.inWidth, info.inChannels]), dataFormat);
    }
    const dx = convolveWithSignedPads(insertZerosBetweenPixels(dy, stride), rotateFilter180(filter), pads, {
      prepareFilter: swapFilterChannels,
    });
    return fromChannelsLast(dx, dataFormat);
  });
}

/** dy times the transposed 1x1 filter, per pixel: a matrix product (BatchMatMul picks the cheaper orientation). */
function pointwiseInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const [batch, height, width, outChannels] = dy.shape;
  const inChannels = filter.shape[2];
  const dxRows = tf.matMul(tf.reshape(dy, [-1, outChannels]), tf.reshape(filter, [inChannels, outChannels]), false, true);
  return tf.reshape(dxRows, [batch, height, width, inChannels]);
}

function swapFilterChannels(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(filter, [0, 1, 3, 2]);
}

export const conv2dBackpropInputConfig = heapKernelConfig(tf.Conv2DBackpropInput, conv2dBackpropInput);
