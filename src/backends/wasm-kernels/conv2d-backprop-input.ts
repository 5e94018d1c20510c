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

/**
 * Gradient of a convolution with respect to its input. Replaces tfjs-backend-wasm's own kernel, a scalar loop that
 * is 5-15x slower than XNNPACK: dx is the convolution of dy, zero-inserted by the stride, with the filter mirrored
 * in space and its channel axes swapped. A 1x1 filter convolves first and zero-inserts after (s*s less work).
 */
function conv2dBackpropInput({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  return tf.tidy(() => {
    const dy = channelsLast(asTensor<tf.Rank.R4>(inputs.dy, tf.Conv2DBackpropInput), dataFormat);
    const filter = asTensor<tf.Rank.R4>(inputs.filter, tf.Conv2DBackpropInput);
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, format);
    const stride: [number, number] = [info.strideHeight, info.strideWidth];
    const pads = inputGradientPads(info);
    const dx =
      info.filterHeight === 1 && info.filterWidth === 1
        ? padOrCrop(insertZerosBetweenPixels(pointwiseInputGradient(dy, filter), stride), pads)
        : convolveWithSignedPads(insertZerosBetweenPixels(dy, stride), rotateFilter180(filter), pads, { prepareFilter: swapFilterChannels });
    return fromChannelsLast(dx, dataFormat);
  });
}

/**
 * dy times the transposed 1x1 filter, per pixel. XNNPACK re-packs its weight operand every time it sees a new tensor
 * (every training step), which costs far more than the product when dy has few pixels (deep layers of small
 * images): there the transposed product filter x dy^T packs the smaller dy instead (ResNet-50's last stage 10x faster).
 */
function pointwiseInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const [batch, height, width, outChannels] = dy.shape;
  const inChannels = filter.shape[2];
  const pixels = batch * height * width;
  if (pixels >= inChannels) {
    // A product rather than a 1x1 convolution: tfjs-backend-wasm transposes every new convolution filter once more
    // before XNNPACK packs it, but hands a product's right operand to XNNPACK as it is.
    const dxRows = tf.matMul(tf.reshape(dy, [pixels, outChannels]), tf.reshape(filter, [inChannels, outChannels]), false, true);
    return tf.reshape(dxRows, [batch, height, width, inChannels]);
  }
  const dyColumns = tf.transpose(tf.reshape(dy, [pixels, outChannels]));
  const dxColumns = tf.matMul(tf.reshape(filter, [inChannels, outChannels]), dyColumns);
  return tf.reshape(tf.transpose(dxColumns), [batch, height, width, inChannels]);
}

function swapFilterChannels(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(filter, [0, 1, 3, 2]);
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
