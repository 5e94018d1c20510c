import * as tf from '@tensorflow/tfjs';
import { atUnitStrideAndDilation } from './kernel-tensors';

/**
 * A stride-1 convolution of a map with few pixels (ResNet-50's 2x2 stage on 32x32 images) as one matrix product
 * with a dense filter matrix: out[n, (p, co)] = sum over (q, ci) of x[n, (q, ci)] * W[tap(p, q), ci, co], where
 * tap(p, q) is the filter tap through which output pixel p reads input pixel q (a zero block where none does).
 * XNNPACK's convolution computes every tap, padding included (9 per output pixel where a 2x2 map has 4 inputs), and
 * tfjs-backend-wasm transposes the filter again before XNNPACK packs it; as a product, the swapped orientation
 * packs the few activations instead (see productIsCheaperSwapped).
 */
export function convolvesAsDenseProduct(info: tf.backend_util.Conv2DInfo): boolean {
  // The dense filter has (in pixels) x (out pixels) blocks against the filter's taps: worth it while that is at most
  // about twice as many weights (a 3x3 filter on a 2x2 map: 16 blocks for 9 taps).
  const blocks = info.inHeight * info.inWidth * info.outHeight * info.outWidth;
  return atUnitStrideAndDilation(info) && info.filterHeight * info.filterWidth > 1 && blocks <= 2 * info.filterHeight * info.filterWidth;
}

/**
 * For each block of the dense filter matrix, in row-major (in pixel, out pixel) order, the filter tap (row-major
 * index) through which that output pixel reads that input pixel, or -1 where none does.
 */
function tapOfEachBlock(info: tf.backend_util.Conv2DInfo): number[] {
  const { filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth } = info;
  const taps: number[] = [];
  for (let inRow = 0; inRow < inHeight; inRow++) {
    for (let inColumn = 0; inColumn < inWidth; inColumn++) {
      for (let outRow = 0; outRow < outHeight; outRow++) {
        for (let outColumn = 0; outColumn < outWidth; outColumn++) {
          const tapRow = inRow - outRow + info.padInfo.top;
          const tapColumn = inColumn - outColumn + info.padInfo.left;
          const reads = tapRow >= 0 && tapRow < filterHeight && tapColumn >= 0 && tapColumn < filterWidth;
          taps.push(reads ? tapRow * filterWidth + tapColumn : -1);
        }
      }
    }
  }
  return taps;
}

/** The [in pixels * in channels, out pixels * out channels] matrix of the convolution described above. */
export function denseFilter(filter: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor2D {
  const { filterHeight, filterWidth, inChannels, outChannels } = info;
  const taps = filterHeight * filterWidth;
  // Blocks no tap reads take an all-zero block appended after the taps.
  const blockTaps = tapOfEachBlock(info).map((tap) => (tap < 0 ? taps : tap));
  const rows = tf.reshape(filter, [taps, inChannels * outChannels]);
  const withZeroBlock = blockTaps.includes(taps) ? tf.pad(rows, [[0, 1], [0, 0]]) : rows;
  const gathered = tf.gather(withZeroBlock, tf.tensor1d(blockTaps, 'int32'));
  const inPixels = info.inHeight * info.inWidth;
  const outPixels = info.outHeight * info.outWidth;
  // [in pixel, out pixel, ci, co] -> [in pixel, ci, out pixel, co]
  const dense = tf.transpose(tf.reshape(gathered, [inPixels, outPixels, inChannels, outChannels]), [0, 2, 1, 3]);
  return tf.reshape(dense, [inPixels * inChannels, outPixels * outChannels]);
}

/**
 * The adjoint of denseFilter: the filter gradient from the gradient of the dense matrix (each tap's gradient is the
 * sum of the blocks it appears in; a tap that reads no pixel gets zeros).
 */
export function filterFromDense(dense: tf.Tensor2D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const { filterHeight, filterWidth, inChannels, outChannels } = info;
  const inPixels = info.inHeight * info.inWidth;
  const outPixels = info.outHeight * info.outWidth;
  const blockSize = inChannels * outChannels;
  // [in pixel, ci, out pixel, co] -> one [ci * co] row per (in pixel, out pixel) block
  const blocks = tf.reshape(tf.transpose(tf.reshape(dense, [inPixels, inChannels, outPixels, outChannels]), [0, 2, 1, 3]), [-1, blockSize]);
  const blockTaps = tapOfEachBlock(info);
  const tapGradients = Array.from({ length: filterHeight * filterWidth }, (_, tap) => {
    const parts = blockTaps.flatMap((blockTap, block) => (blockTap === tap ? [tf.slice(blocks, [block, 0], [1, blockSize])] : []));
    return parts.length ? tf.addN(parts) : tf.zeros([1, blockSize]);
  });
  return tf.reshape(tf.concat(tapGradients), [filterHeight, filterWidth, inChannels, outChannels]);
}
