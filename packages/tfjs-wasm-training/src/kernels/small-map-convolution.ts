import * as tf from '@tensorflow/tfjs';
import { atUnitStrideAndDilation } from './kernel-tensors';
import { simdKernels } from '../simd';
import { heapAddress, heapOutput } from './wasm-heap';

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

/**
 * The dense filter matrix: [in pixels * in channels, out pixels * out channels] ('inputsByOutputs', the matrix
 * above) or its transpose ('outputsByInputs'), assembled on the heap from the filter's taps (copied, or transposed,
 * into their blocks) so that no product has to transpose it.
 */
export function denseFilter(
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  backend: unknown,
  layout: 'inputsByOutputs' | 'outputsByInputs',
): tf.Tensor2D {
  const { inChannels, outChannels } = info;
  const [inPixels, outPixels] = [info.inHeight * info.inWidth, info.outHeight * info.outWidth];
  const [inSize, outSize] = [inPixels * inChannels, outPixels * outChannels];
  const { output, outputValues } = heapOutput(backend, layout === 'inputsByOutputs' ? [inSize, outSize] : [outSize, inSize], 'float32', []);
  outputValues.fill(0);
  const kernels = simdKernels(backend);
  const [filterAt, denseAt] = [heapAddress(backend, filter.dataId), heapAddress(backend, output.dataId)];
  const tapAt = (tap: number) => filterAt + 4 * tap * inChannels * outChannels;
  tapOfEachBlock(info).forEach((tap, block) => {
    if (tap < 0) return;
    const [inPixel, outPixel] = [Math.floor(block / outPixels), block % outPixels];
    if (layout === 'inputsByOutputs') {
      kernels.copyBlock(
        tapAt(tap),
        outChannels,
        denseAt + 4 * (inPixel * inChannels * outSize + outPixel * outChannels),
        outSize,
        inChannels,
        outChannels,
      );
    } else {
      kernels.transpose(
        tapAt(tap),
        denseAt + 4 * (outPixel * outChannels * inSize + inPixel * inChannels),
        inChannels,
        outChannels,
        outChannels,
        inSize,
      );
    }
  });
  return tf.engine().makeTensorFromTensorInfo(output) as tf.Tensor2D;
}

/**
 * The adjoint of denseFilter ('inputsByOutputs'): the filter gradient from the gradient of the dense matrix (each
 * tap's gradient is the sum of the blocks it appears in; a tap that reads no pixel gets zeros).
 */
export function filterFromDense(dense: tf.Tensor2D, info: tf.backend_util.Conv2DInfo, backend: unknown): tf.Tensor4D {
  const { filterHeight, filterWidth, inChannels, outChannels } = info;
  const outPixels = info.outHeight * info.outWidth;
  const outSize = outPixels * outChannels;
  const { output, outputValues } = heapOutput(backend, [filterHeight, filterWidth, inChannels, outChannels], 'float32', []);
  outputValues.fill(0);
  const kernels = simdKernels(backend);
  const [denseAt, filterAt] = [heapAddress(backend, dense.dataId), heapAddress(backend, output.dataId)];
  tapOfEachBlock(info).forEach((tap, block) => {
    if (tap < 0) return;
    const [inPixel, outPixel] = [Math.floor(block / outPixels), block % outPixels];
    const blockAt = denseAt + 4 * (inPixel * inChannels * outSize + outPixel * outChannels);
    kernels.addBlock(blockAt, outSize, filterAt + 4 * tap * inChannels * outChannels, outChannels, inChannels, outChannels);
  });
  return tf.engine().makeTensorFromTensorInfo(output) as tf.Tensor4D;
}
