import { Random, randomInt } from './random';
import type { AugmentOptions } from './types';

/** The random choices for one image. */
export interface AugmentDraw {
  /** Top-left corner of the crop in the zero-padded image. */
  cropY: number;
  cropX: number;
  flip: boolean;
  brightnessDelta: number;
  contrastFactor: number;
}

export const NO_AUGMENTATION: AugmentDraw = { cropY: 0, cropX: 0, flip: false, brightnessDelta: 0, contrastFactor: 1 };

/** True when any augmentation is switched on. */
export function augments(options: AugmentOptions | undefined): options is AugmentOptions {
  return Boolean(options && (options.crop || options.flip || options.brightness || options.contrast));
}

/** Draws one image's crop offset, flip, brightness delta and contrast factor (only for what is switched on). */
export function drawAugmentation(random: Random, options: AugmentOptions): AugmentDraw {
  const pad = options.crop ?? 0;
  return {
    cropY: pad ? randomInt(random, 2 * pad + 1) : pad,
    cropX: pad ? randomInt(random, 2 * pad + 1) : pad,
    flip: options.flip ? random() < 0.5 : false,
    brightnessDelta: options.brightness ? (random() * 2 - 1) * options.brightness : 0,
    contrastFactor: options.contrast ? 1 + (random() * 2 - 1) * options.contrast : 1,
  };
}

/**
 * Writes one uint8 HWC image into `target` as floats with crop (zero padding of `pad`), flip, brightness and
 * contrast applied, in the CIFAR tutorial's order. Crop and flip are one index mapping, so no copy is made.
 */
export function writeAugmented(
  source: Uint8Array,
  sourceOffset: number,
  target: Float32Array,
  targetOffset: number,
  [height, width, channels]: [number, number, number],
  pad: number,
  draw: AugmentDraw,
): void {
  for (let y = 0; y < height; y++) {
    const sourceY = y + draw.cropY - pad;
    for (let x = 0; x < width; x++) {
      const sourceX = (draw.flip ? width - 1 - x : x) + draw.cropX - pad;
      const to = targetOffset + (y * width + x) * channels;
      const inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
      const from = sourceOffset + (sourceY * width + sourceX) * channels;
      for (let c = 0; c < channels; c++) target[to + c] = inside ? source[from + c] + draw.brightnessDelta : draw.brightnessDelta;
    }
  }
  if (draw.contrastFactor !== 1) adjustContrast(target, targetOffset, height * width, channels, draw.contrastFactor);
}

/** tf.image.adjust_contrast: each channel's values move away from (or towards) that channel's mean. */
function adjustContrast(image: Float32Array, offset: number, pixels: number, channels: number, factor: number): void {
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let p = 0; p < pixels; p++) sum += image[offset + p * channels + c];
    const mean = sum / pixels;
    for (let p = 0; p < pixels; p++) {
      const at = offset + p * channels + c;
      image[at] = (image[at] - mean) * factor + mean;
    }
  }
}
