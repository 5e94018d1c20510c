import * as tf from '@tensorflow/tfjs';

/**
 * Corrected gradient kernels for the cpu backend. In tfjs-backend-cpu 4.22
 * - `ResizeNearestNeighborGrad` reads `dy` with the input image's batch stride instead of `dy`'s own
 *   (kernels/ResizeNearestNeighborGrad.js), so with a batch above 1 every image after the first gets another
 *   image's gradient; acaf's detection head upsamples with it;
 * - `ResizeBilinearGrad` returns its result with height and width swapped (wrong for non-square images) and
 *   ignores `halfPixelCenters`;
 * - `AvgPoolGrad` divides by the whole window where the forward pass divides by the pixels inside the image
 *   (padding 'same' at the borders of odd sizes, as in DenseNet's transitions).
 * The cpu backend is the oracle of acaf's wasm kernels, so it must be right. Each kernel here is the exact adjoint
 * of tfjs's forward kernel: every `dy` element goes back to the input pixels the forward pass read it from, with
 * the forward's weights and its own source-pixel rules (align corners, half-pixel centres, window clipping).
 */

/** Where output index i reads along one axis: pixels `low` and `high`, weight `fraction` on `high`. */
interface AxisSource {
  low: number;
  high: number;
  fraction: number;
}

interface ResizeAttributes {
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

function sizeRatio(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** The forward ResizeNearestNeighbor's source pixel of each output index (tfjs-backend-cpu ResizeNearestNeighbor.js). */
function nearestSources(inSize: number, outSize: number, { alignCorners, halfPixelCenters }: ResizeAttributes): AxisSource[] {
  const ratio = sizeRatio(inSize, outSize, alignCorners);
  return Array.from({ length: outSize }, (_, i) => {
    const position = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    let nearest = Math.min(inSize - 1, alignCorners ? Math.round(position) : Math.floor(position));
    if (halfPixelCenters) nearest = Math.max(0, nearest);
    return { low: nearest, high: nearest, fraction: 0 };
  });
}

/** The forward ResizeBilinear's two source pixels and weight of each output index (tfjs-backend-cpu ResizeBilinear.js). */
function bilinearSources(inSize: number, outSize: number, { alignCorners, halfPixelCenters }: ResizeAttributes): AxisSource[] {
  const ratio = sizeRatio(inSize, outSize, alignCorners);
  return Array.from({ length: outSize }, (_, i) => {
    const position = halfPixelCenters ? ratio * (i + 0.5) - 0.5 : ratio * i;
    const low = Math.max(0, Math.floor(position));
    return { low, high: Math.min(inSize - 1, Math.ceil(position)), fraction: position - low };
  });
}

/** dx of a separable resize: each dy element spread over its (up to) four source pixels with the forward's weights. */
export function resizeAdjoint(
  dy: Float32Array,
  [batch, inHeight, inWidth, channels]: number[],
  rows: AxisSource[],
  cols: AxisSource[],
): Float32Array {
  const dx = new Float32Array(batch * inHeight * inWidth * channels);
  const add = (b: number, row: number, col: number, weight: number, dyOffset: number) => {
    if (weight === 0) return;
    const dxOffset = ((b * inHeight + row) * inWidth + col) * channels;
    for (let d = 0; d < channels; d++) dx[dxOffset + d] += weight * dy[dyOffset + d];
  };
  let dyOffset = 0;
  for (let b = 0; b < batch; b++) {
    for (const row of rows) {
      for (const col of cols) {
        add(b, row.low, col.low, (1 - row.fraction) * (1 - col.fraction), dyOffset);
        add(b, row.low, col.high, (1 - row.fraction) * col.fraction, dyOffset);
        add(b, row.high, col.low, row.fraction * (1 - col.fraction), dyOffset);
        add(b, row.high, col.high, row.fraction * col.fraction, dyOffset);
        dyOffset += channels;
      }
    }
  }
  return dx;
}

interface CpuBackendData {
  data: { get(id: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function resizeGradKernel(kernelName: string, sources: typeof nearestSources): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
      const cpu = backend as unknown as CpuBackendData;
      const { alignCorners, halfPixelCenters } = attrs as unknown as { alignCorners: boolean; halfPixelCenters?: boolean };
      const options = { alignCorners, halfPixelCenters: halfPixelCenters ?? false };
      const [, inHeight, inWidth] = images.shape;
      const [, outHeight, outWidth] = dy.shape;
      const dx = resizeAdjoint(
        cpu.data.get(dy.dataId).values,
        images.shape,
        sources(inHeight, outHeight, options),
        sources(inWidth, outWidth, options),
      );
      return cpu.makeTensorInfo(images.shape, 'float32', dx);
    },
  };
}

/** Adjoint of tfjs-backend-cpu's average pool (utils/pool_utils.js): each window's dy / (pixels inside the image). */
const avgPoolGrad: tf.KernelConfig = {
  kernelName: tf.AvgPoolGrad,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const cpu = backend as unknown as CpuBackendData;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
    const dyValues = cpu.data.get(dy.dataId).values;
    const dx = new Float32Array(batchSize * inHeight * inWidth * channels);
    for (let b = 0; b < batchSize; b++) {
      for (let yR = 0; yR < outHeight; yR++) {
        const rowCorner = yR * strideHeight - info.padInfo.top;
        const [rowMin, rowMax] = [Math.max(0, rowCorner), Math.min(inHeight, info.effectiveFilterHeight + rowCorner)];
        for (let yC = 0; yC < outWidth; yC++) {
          const colCorner = yC * strideWidth - info.padInfo.left;
          const [colMin, colMax] = [Math.max(0, colCorner), Math.min(inWidth, info.effectiveFilterWidth + colCorner)];
          const share = 1 / ((rowMax - rowMin) * (colMax - colMin));
          const dyOffset = ((b * outHeight + yR) * outWidth + yC) * channels;
          for (let xR = rowMin; xR < rowMax; xR++) {
            for (let xC = colMin; xC < colMax; xC++) {
              const dxOffset = ((b * inHeight + xR) * inWidth + xC) * channels;
              for (let d = 0; d < channels; d++) dx[dxOffset + d] += dyValues[dyOffset + d] * share;
            }
          }
        }
      }
    }
    return cpu.makeTensorInfo(input.shape, 'float32', dx);
  },
};

export const CORRECTED_CPU_KERNELS: tf.KernelConfig[] = [
  resizeGradKernel(tf.ResizeNearestNeighborGrad, nearestSources),
  resizeGradKernel(tf.ResizeBilinearGrad, bilinearSources),
  avgPoolGrad,
];

/** Replaces tfjs's kernels with the corrected ones (unregistering first avoids tfjs's "already registered" warning). */
export function registerCorrectedCpuKernels(): void {
  for (const kernel of CORRECTED_CPU_KERNELS) {
    const current = tf.getKernel(kernel.kernelName, 'cpu');
    if (current?.kernelFunc === kernel.kernelFunc) continue;
    if (current) tf.unregisterKernel(kernel.kernelName, 'cpu');
    tf.registerKernel(kernel);
  }
}
