import * as tf from '@tensorflow/tfjs';
import { asTensor, channelsLast, convolveWithSignedPads, pixelsReadByPointwiseFilter } from './kernel-tensors';

/**
 * Gradient of a convolution with respect to its filter (tfjs-backend-wasm has none).
 *
 * dW[kh, kw, ci, co] = sum over (b, oh, ow) of x[b, oh*s + kh - top, ow*s + kw - left, ci] * dy[b, oh, ow, co]
 * is itself a convolution: of x with the batch as channels ([ci, h, w, b]) by dy as a filter ([oh, ow, b, co]),
 * dilated by the stride, so XNNPACK does the work. A 1x1 filter is a plain matrix product.
 */
function conv2dBackpropFilter({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  return tf.tidy(() => {
    const x = channelsLast(asTensor<tf.Rank.R4>(inputs.x, tf.Conv2DBackpropFilter), dataFormat);
    const dy = channelsLast(asTensor<tf.Rank.R4>(inputs.dy, tf.Conv2DBackpropFilter), dataFormat);
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
    const { strideHeight, strideWidth, filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth } = info;
    if (filterHeight === 1 && filterWidth === 1) {
      const pixels = pixelsReadByPointwiseFilter(x, info);
      const gradient = tf.matMul(tf.transpose(pixels), tf.reshape(dy, [-1, info.outChannels]));
      return tf.reshape(gradient, filterShape);
    }
    const { top, left } = info.padInfo;
    // Rows/columns past the last one a filter tap reads are dropped by negative bottom/right pads.
    const bottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - top;
    const right = filterWidth + (outWidth - 1) * strideWidth - inWidth - left;
    const xBatchAsChannels = tf.transpose(x, [3, 1, 2, 0]);
    const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]);
    const gradient = convolveWithSignedPads(xBatchAsChannels, dyAsFilter, { top, bottom, left, right }, { dilations: [strideHeight, strideWidth] });
    return tf.transpose(gradient, [1, 2, 0, 3]);
  });
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
