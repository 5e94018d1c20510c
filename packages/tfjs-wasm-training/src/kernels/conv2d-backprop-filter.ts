import * as tf from '@tensorflow/tfjs';
import { asTensor, channelsLast, convolveWithSignedPads, pixelsReadByPointwiseFilter, readingTapSpan } from './kernel-tensors';
import { convolvesAsDenseProduct, filterFromDense } from './small-map-convolution';
import { heapKernelConfig } from './wasm-heap';

/**
 * Gradient of a convolution with respect to its filter (tfjs-backend-wasm has none).
 *
 * dW[kh, kw, ci, co] = sum over (b, oh, ow) of x[b, oh*s + kh - top, ow*s + kw - left, ci] * dy[b, oh, ow, co]
 * is itself a convolution: of x with the batch as channels ([ci, h, w, b]) by dy as a filter ([oh, ow, b, co]),
 * dilated by the stride, so XNNPACK does the work. A 1x1 filter is a plain matrix product. Taps that read only
 * padding (the outer taps of a 3x3 'same' filter on a 1x1 map) have zero gradient and are not computed. On a map of
 * a few pixels it is the product x^T dy summed into taps (see small-map-convolution).
 */
function conv2dBackpropFilter({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  return tf.tidy(() => {
    const x = channelsLast(asTensor<tf.Rank.R4>(inputs.x, tf.Conv2DBackpropFilter), dataFormat);
    const dy = channelsLast(asTensor<tf.Rank.R4>(inputs.dy, tf.Conv2DBackpropFilter), dataFormat);
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
    const { strideHeight, strideWidth, filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth } = info;
    if (filterHeight === 1 && filterWidth === 1) {
      const pixels = pixelsReadByPointwiseFilter(x, info);
      const gradient = tf.matMul(pixels, tf.reshape(dy, [-1, info.outChannels]), true, false);
      return tf.reshape(gradient, filterShape);
    }
    if (convolvesAsDenseProduct(info)) {
      const dense = tf.matMul(tf.reshape(x, [info.batchSize, -1]), tf.reshape(dy, [info.batchSize, -1]), true, false) as tf.Tensor2D;
      return filterFromDense(dense, info, backend);
    }
    const rows = readingTapSpan(filterHeight, outHeight, strideHeight, info.padInfo.top, inHeight);
    const columns = readingTapSpan(filterWidth, outWidth, strideWidth, info.padInfo.left, inWidth);
    // Output row r of the convolution below is tap r - top': starting at the first reading tap, and dropping the
    // rows past the last one it reads with a negative bottom pad, computes exactly the reading taps.
    const top = info.padInfo.top - rows.first;
    const left = info.padInfo.left - columns.first;
    const bottom = rows.count + (outHeight - 1) * strideHeight - inHeight - top;
    const right = columns.count + (outWidth - 1) * strideWidth - inWidth - left;
    const xBatchAsChannels = tf.transpose(x, [3, 1, 2, 0]);
    const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]);
    const gradient = convolveWithSignedPads(
      xBatchAsChannels,
      dyAsFilter,
      { top, bottom, left, right },
      { dilations: [strideHeight, strideWidth] },
    );
    const reading = tf.transpose(gradient, [1, 2, 0, 3]);
    const unreadTaps: [number, number][] = [
      [rows.first, filterHeight - rows.first - rows.count],
      [columns.first, filterWidth - columns.first - columns.count],
    ];
    return unreadTaps.flat().some((count) => count > 0) ? tf.pad(reading, [...unreadTaps, [0, 0], [0, 0]]) : reading;
  });
}

export const conv2dBackpropFilterConfig = heapKernelConfig(tf.Conv2DBackpropFilter, conv2dBackpropFilter);
