import * as tf from '@tensorflow/tfjs';
import { simdKernels, type PoolGeometry } from '../simd';
import { heapAddress, heapKernelConfig, withHeapScratch, type HeapKernelArgs, type WasmHeapBackend } from './wasm-heap';

/** A pooling's 12 geometry numbers in the order the SIMD kernel and the native one (native/src/pooling.cc) read them. */
export function poolGeometryNumbers(info: tf.backend_util.Conv2DInfo): PoolGeometry {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.filterHeight,
    info.filterWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/**
 * Gradient of max pooling. Replaces tfjs-backend-wasm's own kernel, a scalar loop that took 15-25% of a simple-cnn
 * training step, with the pack's SIMD kernel (./simd/max-pool-grad-wat), one pass over the windows in NHWC order.
 *
 * It gives exactly the cpu backend's result (tfjs-backend-cpu's maxPoolPositions and MaxPoolGrad), ties included,
 * because after a ReLU many windows hold several equal maxima (zeros): each window's gradient goes to its first
 * maximum in row-major window order, and where windows overlap an input pixel's contributions are summed in float64
 * in window order and rounded once (summing in float32 would round after every addition, and those last-bit
 * differences grow over training).
 */
function maxPoolGrad({ inputs, backend, attrs }: HeapKernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = (backend as WasmHeapBackend).makeOutput(input.shape, 'float32');
  const address = (info: tf.TensorInfo) => heapAddress(backend, info.dataId);
  // Float64 sums, one per input value.
  withHeapScratch(backend, 8 * tf.util.sizeFromShape(input.shape), (sums) =>
    simdKernels(backend).maxPoolGrad(address(input), address(dy), sums, address(dx), ...poolGeometryNumbers(info)),
  );
  return dx;
}

export const maxPoolGradConfig = heapKernelConfig(tf.MaxPoolGrad, maxPoolGrad);
