import * as tf from '@tensorflow/tfjs';

/**
 * Building blocks for the wasm training kernels. Each kernel is composed of ops that tfjs-backend-wasm runs fast
 * (XNNPACK convolutions, transposes, pads), called through the engine inside `tf.tidy`; a kernel returns the
 * resulting Tensor, which the engine takes over as the kernel's output.
 */

/** Kernel inputs arrive as Tensors when a kernel is reached through tfjs ops (the only way acaf reaches them). */
export function asTensor<R extends tf.Rank>(info: tf.TensorInfo | undefined, kernelName: string): tf.Tensor<R> {
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  throw new Error(`${kernelName} (acaf wasm kernel pack) needs Tensor inputs, got a bare TensorInfo`);
}

/** Pads around the height and width of an NHWC tensor; a negative pad crops that many rows or columns. */
export interface SignedPads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The part of `x` that survives the negative pads, and the non-negative pads still to add around it. */
function cropNegativePads(x: tf.Tensor4D, pads: SignedPads): { cropped: tf.Tensor4D; padding: tf.backend_util.ExplicitPadding } {
  const [batch, height, width, channels] = x.shape;
  const crop = (pad: number) => Math.max(0, -pad);
  const cropped =
    pads.top < 0 || pads.bottom < 0 || pads.left < 0 || pads.right < 0
      ? tf.slice(
          x,
          [0, crop(pads.top), crop(pads.left), 0],
          [batch, height - crop(pads.top) - crop(pads.bottom), width - crop(pads.left) - crop(pads.right), channels],
        )
      : x;
  const keep = (pad: number) => Math.max(0, pad);
  const padding: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [keep(pads.top), keep(pads.bottom)],
    [keep(pads.left), keep(pads.right)],
    [0, 0],
  ];
  return { cropped, padding };
}

/** Pads (positive) or crops (negative) the height and width of an NHWC tensor. */
export function padOrCrop(x: tf.Tensor4D, pads: SignedPads): tf.Tensor4D {
  const { cropped, padding } = cropNegativePads(x, pads);
  return padding.some(([before, after]) => before > 0 || after > 0) ? tf.pad(cropped, padding) : cropped;
}

export interface SignedPadConvolution {
  dilations?: [number, number];
  depthwise?: boolean;
  /**
   * Applied to the filter after the taps that read only padding are dropped: a channel transpose costs time per
   * weight, so it should not touch weights that are then thrown away.
   */
  prepareFilter?: (filter: tf.Tensor4D) => tf.Tensor4D;
}

/**
 * Convolution (regular, or depthwise) at stride 1 with signed explicit padding: XNNPACK only takes non-negative
 * pads, so negative ones crop the input first.
 */
export function convolveWithSignedPads(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  pads: SignedPads,
  { dilations = [1, 1], depthwise = false, prepareFilter = (kept) => kept }: SignedPadConvolution = {},
): tf.Tensor4D {
  const { cropped, padding } = cropNegativePads(x, pads);
  const trimmed =
    dilations[0] === 1 && dilations[1] === 1 ? trimTapsThatOnlyReadPadding(cropped.shape, filter, padding) : { filter, padding };
  const prepared = prepareFilter(trimmed.filter);
  return depthwise
    ? tf.depthwiseConv2d(cropped, prepared, 1, trimmed.padding, 'NHWC', dilations)
    : tf.conv2d(cropped, prepared, 1, trimmed.padding, 'NHWC', dilations);
}

/** Whether a convolution moves one pixel at a time and reads adjacent pixels (stride and dilation 1). */
export function atUnitStrideAndDilation(info: tf.backend_util.Conv2DInfo): boolean {
  return [info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth].every((size) => size === 1);
}

/** Along one axis: the span of filter taps that read an input pixel at some output position (at least one tap). */
export function readingTapSpan(
  filterSize: number,
  outSize: number,
  stride: number,
  padBefore: number,
  inSize: number,
): { first: number; count: number } {
  const reads = (tap: number) => {
    for (let out = 0; out < outSize; out++) {
      const position = out * stride + tap - padBefore;
      if (position >= 0 && position < inSize) return true;
    }
    return false;
  };
  let first = 0;
  while (first < filterSize - 1 && !reads(first)) first++;
  let last = filterSize - 1;
  while (last > first && !reads(last)) last--;
  return { first, count: last - first + 1 };
}

/** The filter taps (rows and columns) that read input at some output pixel, and the pads that go with them. */
interface UsedTaps {
  rows: { first: number; count: number };
  columns: { first: number; count: number };
  padding: tf.backend_util.ExplicitPadding;
}

/**
 * The taps of a stride-1, undilated convolution that read input somewhere, or null if all do. A 3x3 'same'
 * convolution of a 1x1 map (ResNet-50's last stage on 32x32 images) reads only its centre; XNNPACK re-packs a new
 * filter tensor on every call, so the unused taps cost time even though they only add zeros.
 */
export function tapsReadingInput(
  [, height, width]: number[],
  [filterHeight, filterWidth]: number[],
  [, [top, bottom], [left, right]]: tf.backend_util.ExplicitPadding,
): UsedTaps | null {
  const used = (size: number, filterSize: number, padBefore: number, padAfter: number) => {
    const outSize = size + padBefore + padAfter - filterSize + 1;
    const { first, count } = readingTapSpan(filterSize, outSize, 1, padBefore, size);
    // The output size stays the same: outSize = size + padBefore' + padAfter' - count + 1.
    return { first, count, padBefore: padBefore - first, padAfter: outSize - size - padBefore + first + count - 1 };
  };
  const rows = used(height, filterHeight, top, bottom);
  const columns = used(width, filterWidth, left, right);
  if (rows.count === filterHeight && columns.count === filterWidth) return null;
  return {
    rows,
    columns,
    padding: [
      [0, 0],
      [rows.padBefore, rows.padAfter],
      [columns.padBefore, columns.padAfter],
      [0, 0],
    ],
  };
}

/** The filter without the taps that read only padding, and the pads that keep the output size (see tapsReadingInput). */
export function trimTapsThatOnlyReadPadding(
  xShape: number[],
  filter: tf.Tensor4D,
  padding: tf.backend_util.ExplicitPadding,
): { filter: tf.Tensor4D; padding: tf.backend_util.ExplicitPadding } {
  const taps = tapsReadingInput(xShape, filter.shape, padding);
  if (!taps) return { filter, padding };
  const [, , inChannels, outChannels] = filter.shape;
  const begin = [taps.rows.first, taps.columns.first, 0, 0];
  return { filter: tf.slice(filter, begin, [taps.rows.count, taps.columns.count, inChannels, outChannels]), padding: taps.padding };
}

/**
 * Inserts `stride - 1` zeros after every row and column of an NHWC tensor (the adjoint of a strided read):
 * [b, h, w, c] -> [b, h * strideHeight, w * strideWidth, c]. The trailing zeros are harmless: callers crop them
 * with negative padding.
 */
export function insertZerosBetweenPixels(x: tf.Tensor4D, [strideHeight, strideWidth]: [number, number]): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return x;
  const [batch, height, width, channels] = x.shape;
  const spread = tf.pad(tf.reshape(x, [batch, height, 1, width, 1, channels]), [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [batch, height * strideHeight, width * strideWidth, channels]);
}

/** Rotates a filter [h, w, ...] by 180 degrees in space: the adjoint of a convolution reads it mirrored. */
export function rotateFilter180(filter: tf.Tensor4D): tf.Tensor4D {
  return filter.shape[0] === 1 && filter.shape[1] === 1 ? filter : tf.reverse(filter, [0, 1]);
}

/**
 * The pixels a 1x1 convolution reads, as a [pixels, channels] matrix: every stride-th row and column, from `top` and
 * `left` on (pads are negative crops or positive zero rows, as in padOrCrop). Padded to whole strides, each stride
 * block's first pixel is a plain slice (tfjs-backend-wasm's StridedSlice is about 100x slower than Slice).
 */
export function pixelsReadByPointwiseFilter(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor2D {
  const { strideHeight, strideWidth, inHeight, inWidth, outHeight, outWidth, inChannels } = info;
  const { top, left } = info.padInfo;
  // Rows/columns past the last one read are dropped by negative bottom/right pads.
  const bottom = (outHeight - 1) * strideHeight + 1 - inHeight - top;
  const right = (outWidth - 1) * strideWidth + 1 - inWidth - left;
  const padded = padOrCrop(x, { top, left, bottom: bottom + strideHeight - 1, right: right + strideWidth - 1 });
  const blocks = tf.reshape(padded, [info.batchSize * outHeight, strideHeight, outWidth, strideWidth * inChannels]);
  const read = tf.slice(blocks, [0, 0, 0, 0], [info.batchSize * outHeight, 1, outWidth, inChannels]);
  return tf.reshape(read, [-1, inChannels]);
}

export function channelsLast<T extends tf.Tensor4D>(x: T, dataFormat: 'NHWC' | 'NCHW'): tf.Tensor4D {
  return dataFormat === 'NCHW' ? tf.transpose(x, [0, 2, 3, 1]) : x;
}

export function fromChannelsLast(x: tf.Tensor4D, dataFormat: 'NHWC' | 'NCHW'): tf.Tensor4D {
  return dataFormat === 'NCHW' ? tf.transpose(x, [0, 3, 1, 2]) : x;
}

/**
 * The pads that turn "zero-insert dy by the stride, then convolve at stride 1 with the mirrored filter" into the
 * gradient of a convolution with respect to its input: every input pixel gets exactly the taps that read it.
 */
export function inputGradientPads(info: tf.backend_util.Conv2DInfo): SignedPads {
  const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
  const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
  return {
    top,
    left,
    bottom: info.inHeight + info.effectiveFilterHeight - 1 - info.outHeight * info.strideHeight - top,
    right: info.inWidth + info.effectiveFilterWidth - 1 - info.outWidth * info.strideWidth - left,
  };
}
