import type { ImageSplit, Normalization } from './types';

/** Per-channel mean and standard deviation of the training pixels (0..255 units). */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** Mean and standard deviation of each channel over every pixel of a split (use the train split). */
export function channelStats(split: ImageSplit, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  for (let i = 0; i < split.images.length; i++) {
    const value = split.images[i];
    sum[i % channels] += value;
    squares[i % channels] += value * value;
  }
  const perChannel = split.images.length / channels;
  const mean = Array.from(sum, (total) => total / perChannel);
  const std = Array.from(squares, (total, c) => Math.sqrt(Math.max(total / perChannel - mean[c] * mean[c], 0)));
  return { mean, std };
}

/**
 * Normalises one HWC float image in place:
 * - per-image: tf.image.per_image_standardization, (x - mean) / max(std, 1/sqrt(N)) over all N values (the paper's code);
 * - dataset: (x - mean[c]) / std[c] with the training split's channel statistics;
 * - scale: x / 255; none: unchanged.
 */
export function normalizeImage(image: Float32Array, offset: number, length: number, channels: number, mode: Normalization, stats?: ChannelStats): void {
  if (mode === 'none') return;
  if (mode === 'scale') {
    for (let i = offset; i < offset + length; i++) image[i] /= 255;
  } else if (mode === 'per-image') {
    let sum = 0;
    let squares = 0;
    for (let i = offset; i < offset + length; i++) {
      sum += image[i];
      squares += image[i] * image[i];
    }
    const mean = sum / length;
    const std = Math.sqrt(Math.max(squares / length - mean * mean, 0));
    const scale = 1 / Math.max(std, 1 / Math.sqrt(length));
    for (let i = offset; i < offset + length; i++) image[i] = (image[i] - mean) * scale;
  } else {
    if (!stats) throw new Error("normalize: 'dataset' needs the training split's channel statistics");
    const inverse = stats.std.map((std) => 1 / Math.max(std, 1e-8));
    for (let i = 0; i < length; i++) image[offset + i] = (image[offset + i] - stats.mean[i % channels]) * inverse[i % channels];
  }
}
