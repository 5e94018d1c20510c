import * as tf from '@tensorflow/tfjs';
import { heapOutput, type HeapKernelArgs } from './wasm-heap';

/**
 * Gradient of max pooling. Replaces tfjs-backend-wasm's own kernel, a scalar loop that took 15-25% of a simple-cnn
 * training step: one pass over the windows in NHWC order, all channels of a pixel at once.
 *
 * It gives exactly the cpu backend's result (tfjs-backend-cpu's maxPoolPositions and MaxPoolGrad), ties included,
 * because after a ReLU many windows hold several equal maxima (zeros):
 * - each window's gradient goes to its first maximum in row-major window order (a strictly greater value replaces
 *   it; windows of only NaN or -Infinity pass no gradient); padding is never a candidate;
 * - where windows overlap, the cpu kernel sums an input pixel's contributions in float64 in window order and rounds
 *   once; summing in float32 would round after every addition, and those last-bit differences grow over training.
 */
function maxPoolGrad({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { output, outputValues, inputValues } = heapOutput(backend, input.shape, 'float32', [input, dy]);
  // Typed as what they are: element access on the heap views' union type is several times slower.
  const [dx, x, gradient] = [outputValues, ...inputValues] as Float32Array[];
  const maxima = firstMaximumIndices(x, info);
  dx.fill(0);
  if (info.strideHeight >= info.filterHeight && info.strideWidth >= info.filterWidth) {
    // Windows do not overlap: every input pixel receives at most one gradient, so float32 sums are exact.
    for (let i = 0; i < maxima.length; i++) if (maxima[i] >= 0) dx[maxima[i]] += gradient[i];
  } else {
    const sums = new Float64Array(dx.length);
    for (let i = 0; i < maxima.length; i++) if (maxima[i] >= 0) sums[maxima[i]] += gradient[i];
    dx.set(sums);
  }
  return output;
}

/** For every window and channel (in dy's NHWC order), the index in x of its first maximum, or -1 if it has none. */
function firstMaximumIndices(x: Float32Array, info: tf.backend_util.Conv2DInfo): Int32Array {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const maxima = new Int32Array(batchSize * outHeight * outWidth * channels);
  const best = new Float32Array(channels);
  let window = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      const firstRow = outRow * strideHeight - info.padInfo.top;
      const [rowBegin, rowEnd] = [Math.max(0, firstRow), Math.min(inHeight, firstRow + filterHeight)];
      for (let outColumn = 0; outColumn < outWidth; outColumn++, window += channels) {
        const firstColumn = outColumn * strideWidth - info.padInfo.left;
        const [columnBegin, columnEnd] = [Math.max(0, firstColumn), Math.min(inWidth, firstColumn + filterWidth)];
        best.fill(-Infinity);
        maxima.fill(-1, window, window + channels);
        for (let row = rowBegin; row < rowEnd; row++) {
          for (let column = columnBegin; column < columnEnd; column++) {
            const pixel = ((b * inHeight + row) * inWidth + column) * channels;
            for (let channel = 0; channel < channels; channel++) {
              const value = x[pixel + channel];
              if (value > best[channel]) {
                best[channel] = value;
                maxima[window + channel] = pixel + channel;
              }
            }
          }
        }
      }
    }
  }
  return maxima;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
