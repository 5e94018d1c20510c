import * as tf from '@tensorflow/tfjs';
import { heapOutput, type HeapKernelArgs } from './wasm-heap';

/**
 * Gradient of max pooling. Replaces tfjs-backend-wasm's own kernel, a scalar loop that took about a quarter of a
 * simple-cnn training step: one pass over the windows in NHWC order, keeping the first maximum of every channel
 * (as the cpu backend does: ties and NaNs give the gradient to the first position), then adding dy there.
 */
function maxPoolGrad({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { output, outputValues: dx, inputValues: [x, gradient] } = heapOutput(backend, input.shape, 'float32', [input, dy]);
  dx.fill(0);
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
          if (index >= 0) dx[index] += gradient[dyIndex];
        }
      }
    }
  }
  return output;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
