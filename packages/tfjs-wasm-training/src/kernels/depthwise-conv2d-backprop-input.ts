import * as tf from '@tensorflow/tfjs';
import { asTensor, convolveWithSignedPads, inputGradientPads, insertZerosBetweenPixels, rotateFilter180 } from './kernel-tensors';
import { heapKernelConfig } from './wasm-heap';

/**
 * Gradient of a depthwise convolution with respect to its input (tfjs-backend-wasm has none): a depthwise
 * convolution of dy, zero-inserted by the stride, with the mirrored filter, summed over the channel multiplier.
 */
function depthwiseConv2dBackpropInput({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.Tensor4D {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(inputs.dy, tf.DepthwiseConv2dNativeBackpropInput);
    const filter = asTensor<tf.Rank.R4>(inputs.filter, tf.DepthwiseConv2dNativeBackpropInput);
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, true);
    const [batch, outHeight, outWidth] = dy.shape;
    const [filterHeight, filterWidth, channels, multiplier] = filter.shape;
    const pads = inputGradientPads(info);
    const mirrored = rotateFilter180(filter);
    // dy's channels are (channel, multiplier) pairs; each multiplier slice is one depthwise convolution.
    const dyByMultiplier = tf.reshape(dy, [batch, outHeight, outWidth, channels, multiplier]);
    const perMultiplier = Array.from({ length: multiplier }, (_, m) => {
      const dySlice = tf.reshape<tf.Rank.R4>(tf.slice(dyByMultiplier, [0, 0, 0, 0, m], [-1, -1, -1, -1, 1]), [
        batch,
        outHeight,
        outWidth,
        channels,
      ]);
      const filterSlice = tf.slice(mirrored, [0, 0, 0, m], [filterHeight, filterWidth, channels, 1]);
      const zeroInserted = insertZerosBetweenPixels(dySlice, [info.strideHeight, info.strideWidth]);
      return convolveWithSignedPads(zeroInserted, filterSlice, pads, {
        dilations: [info.dilationHeight, info.dilationWidth],
        depthwise: true,
      });
    });
    return perMultiplier.length === 1 ? perMultiplier[0] : tf.addN(perMultiplier);
  });
}

export const depthwiseConv2dBackpropInputConfig = heapKernelConfig(tf.DepthwiseConv2dNativeBackpropInput, depthwiseConv2dBackpropInput);
