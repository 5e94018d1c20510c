import * as tf from '@tensorflow/tfjs';
import { asTensor, padOrCrop } from './kernel-tensors';
import { heapKernelConfig } from './wasm-heap';

/**
 * Gradient of a depthwise convolution with respect to its filter (tfjs-backend-wasm has none). For each filter
 * tap, dW[kh, kw, c, m] is the sum over (b, oh, ow) of the input pixels that tap reads times dy[b, oh, ow, c*M + m]:
 * one strided slice, one broadcast product and one sum per tap.
 */
function depthwiseConv2dBackpropFilter({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.Tensor4D {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(inputs.x, tf.DepthwiseConv2dNativeBackpropFilter);
    const dy = asTensor<tf.Rank.R4>(inputs.dy, tf.DepthwiseConv2dNativeBackpropFilter);
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, true);
    const { strideHeight, strideWidth, dilationHeight, dilationWidth, outHeight, outWidth } = info;
    const [filterHeight, filterWidth, channels, multiplier] = filterShape;
    const { top, left } = info.padInfo;
    // Just the rows and columns some tap reads: (out - 1) * stride + effectiveFilter of them.
    const padded = padOrCrop(x, {
      top,
      left,
      bottom: (outHeight - 1) * strideHeight + info.effectiveFilterHeight - info.inHeight - top,
      right: (outWidth - 1) * strideWidth + info.effectiveFilterWidth - info.inWidth - left,
    });
    const batch = x.shape[0];
    const dyByMultiplier = tf.reshape(dy, [batch, outHeight, outWidth, channels, multiplier]);
    const taps: tf.Tensor[] = [];
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        const begin = [0, kh * dilationHeight, kw * dilationWidth, 0];
        const end = [batch, begin[1] + (outHeight - 1) * strideHeight + 1, begin[2] + (outWidth - 1) * strideWidth + 1, channels];
        const read = tf.stridedSlice(padded, begin, end, [1, strideHeight, strideWidth, 1]);
        const product = tf.mul(tf.reshape(read, [batch, outHeight, outWidth, channels, 1]), dyByMultiplier);
        taps.push(tf.sum(product, [0, 1, 2]));
      }
    }
    return tf.reshape(tf.stack(taps), filterShape);
  });
}

export const depthwiseConv2dBackpropFilterConfig = heapKernelConfig(tf.DepthwiseConv2dNativeBackpropFilter, depthwiseConv2dBackpropFilter);
