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
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { output, outputValues: dx, inputValues: [x, gradient] } = heapOutput(backend, input.shape, 'float32', [input, dy]);
  const windowsOverlap = strideHeight < filterHeight || strideWidth < filterWidth;
  const sums = windowsOverlap ? new Float64Array(dx.length) : dx.fill(0);
  const best = new Float32Array(channels);
  const bestIndex = new Int32Array(channels);
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      const firstRow = outRow * strideHeight - info.padInfo.top;
      const [rowBegin, rowEnd] = [Math.max(0, firstRow), Math.min(inHeight, firstRow + filterHeight)];
      for (let outColumn = 0; outColumn < outWidth; outColumn++) {
        const firstColumn = outColumn * strideWidth - info.padInfo.left;
        const [columnBegin, columnEnd] = [Math.max(0, firstColumn), Math.min(inWidth, firstColumn + filterWidth)];
        best.fill(-Infinity);
        bestIndex.fill(-1);
        for (let row = rowBegin; row < rowEnd; row++) {
          for (let column = columnBegin; column < columnEnd; column++) {
            const pixel = ((b * inHeight + row) * inWidth + column) * channels;
            for (let channel = 0; channel < channels; channel++) {
              const value = x[pixel + channel];
              if (value > best[channel]) {
                best[channel] = value;
                bestIndex[channel] = pixel + channel;
              }
            }
          }
        }
        for (let channel = 0; channel < channels; channel++, dyIndex++) {
          const index = bestIndex[channel];
          if (index >= 0) sums[index] += gradient[dyIndex];
        }
      }
    }
  }
  if (sums !== dx) dx.set(sums);
  return output;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
