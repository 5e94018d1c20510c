import { randomInt, Random } from '../data/random';
import { letterbox, LetterboxTransform } from './letterbox';
import type { DetectionSample } from './types';

/**
 * Detection augmentation that moves boxes with the pixels: horizontal flip, scale/crop (zoom in or out) with box
 * clipping, then a letterbox resize to a square input. Pure typed-array code; given the same `random` sequence
 * the output is the same.
 */

export interface DetectionAugmentOptions {
  /** Flip horizontally with probability 1/2. */
  flip: boolean;
  /** Crop-window side relative to the image, drawn uniformly from [minScale, maxScale]; > 1 zooms out (padding). */
  minScale: number;
  maxScale: number;
  /** Boxes narrower or lower than this many pixels after clipping are dropped. */
  minBoxSize: number;
  /** Side of the square network input. */
  size: number;
  /** RGB value of padding. */
  fill: [number, number, number];
}

/** flip -> random scale/crop -> letterbox; `transform` maps the letterboxed boxes back to the cropped image. */
export function augmentDetection(
  sample: DetectionSample,
  random: Random,
  options: DetectionAugmentOptions,
): { sample: DetectionSample; transform: LetterboxTransform } {
  const flipped = options.flip && random() < 0.5 ? flipHorizontal(sample) : sample;
  const cropped = randomScaleCrop(flipped, random, options);
  return letterbox(cropped, options.size, options.fill);
}

export function flipHorizontal({ image, annotations }: DetectionSample): DetectionSample {
  const { width, height, pixels } = image;
  const flipped = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      const to = (y * width + (width - 1 - x)) * 3;
      flipped[to] = pixels[from];
      flipped[to + 1] = pixels[from + 1];
      flipped[to + 2] = pixels[from + 2];
    }
  }
  const boxes = Float32Array.from(annotations.boxes);
  for (let i = 0; i < boxes.length; i += 4) [boxes[i], boxes[i + 2]] = [width - annotations.boxes[i + 2], width - annotations.boxes[i]];
  return { image: { pixels: flipped, width, height }, annotations: { ...annotations, boxes } };
}

/** A crop window of side `scale` times the image's, placed uniformly at random (inside the image, or around it when scale > 1). */
export function randomScaleCrop(
  sample: DetectionSample,
  random: Random,
  options: Pick<DetectionAugmentOptions, 'minScale' | 'maxScale' | 'minBoxSize' | 'fill'>,
): DetectionSample {
  const { width, height } = sample.image;
  const scale = options.minScale + random() * (options.maxScale - options.minScale);
  const cropWidth = Math.max(1, Math.round(width * scale));
  const cropHeight = Math.max(1, Math.round(height * scale));
  const offset = (imageSide: number, cropSide: number) =>
    imageSide >= cropSide ? randomInt(random, imageSide - cropSide + 1) : -randomInt(random, cropSide - imageSide + 1);
  const x = offset(width, cropWidth);
  const y = offset(height, cropHeight);
  return crop(sample, { x, y, width: cropWidth, height: cropHeight }, options);
}

/**
 * The pixels of an integer window (which may reach outside the image: `fill` there). Boxes are shifted, clipped to
 * the window, marked truncated when clipped, and dropped when thinner than `minBoxSize`.
 */
export function crop(
  { image, annotations }: DetectionSample,
  window: { x: number; y: number; width: number; height: number },
  { minBoxSize, fill }: Pick<DetectionAugmentOptions, 'minBoxSize' | 'fill'>,
): DetectionSample {
  const pixels = new Uint8Array(window.width * window.height * 3);
  for (let y = 0; y < window.height; y++) {
    const sourceY = y + window.y;
    for (let x = 0; x < window.width; x++) {
      const sourceX = x + window.x;
      const to = (y * window.width + x) * 3;
      const inside = sourceX >= 0 && sourceX < image.width && sourceY >= 0 && sourceY < image.height;
      const from = (sourceY * image.width + sourceX) * 3;
      for (let c = 0; c < 3; c++) pixels[to + c] = inside ? image.pixels[from + c] : fill[c];
    }
  }
  const clipped: number[] = [];
  const keep: number[] = [];
  const truncated: number[] = [];
  for (let i = 0; i < annotations.labels.length; i++) {
    const [x1, y1, x2, y2] = annotations.boxes.subarray(4 * i, 4 * i + 4);
    const box = [
      clamp(x1 - window.x, window.width),
      clamp(y1 - window.y, window.height),
      clamp(x2 - window.x, window.width),
      clamp(y2 - window.y, window.height),
    ];
    if (box[2] - box[0] < minBoxSize || box[3] - box[1] < minBoxSize) continue;
    const wasClipped = box[0] !== x1 - window.x || box[1] !== y1 - window.y || box[2] !== x2 - window.x || box[3] !== y2 - window.y;
    keep.push(i);
    clipped.push(...box);
    truncated.push(wasClipped ? 1 : annotations.truncated[i]);
  }
  return {
    image: { pixels, width: window.width, height: window.height },
    annotations: {
      boxes: Float32Array.from(clipped),
      labels: Int32Array.from(keep, (i) => annotations.labels[i]),
      difficult: Uint8Array.from(keep, (i) => annotations.difficult[i]),
      truncated: Uint8Array.from(truncated),
      crowd: Uint8Array.from(keep, (i) => annotations.crowd[i]),
    },
  };
}

function clamp(value: number, high: number): number {
  return Math.min(Math.max(value, 0), high);
}
