import { resizeImage } from '../data/resize';
import type { DetectionSample } from './types';

/**
 * Letterbox resize: scale the image to fit a size x size square keeping its aspect ratio (bilinear, pixel
 * centres at +0.5 as in OpenCV / tf.image.resize with half_pixel_centers: data/resize.ts), centre it, pad with `fill`.
 */

/** x_input = x_image * scaleX + offsetX (likewise y). */
export interface LetterboxTransform {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

export function letterbox(
  sample: DetectionSample,
  size: number,
  fill: [number, number, number],
): { sample: DetectionSample; transform: LetterboxTransform } {
  const { image, annotations } = sample;
  const ratio = Math.min(size / image.width, size / image.height);
  const width = Math.max(1, Math.round(image.width * ratio));
  const height = Math.max(1, Math.round(image.height * ratio));
  const transform = {
    scaleX: width / image.width,
    scaleY: height / image.height,
    offsetX: Math.floor((size - width) / 2),
    offsetY: Math.floor((size - height) / 2),
  };

  const pixels = new Uint8Array(size * size * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels.set(fill, i);
  const resized = resizeImage(image.pixels, [image.height, image.width, 3], [height, width]);
  for (let y = 0; y < height; y++) {
    pixels.set(resized.subarray(y * width * 3, (y + 1) * width * 3), ((y + transform.offsetY) * size + transform.offsetX) * 3);
  }
  const boxes = Float32Array.from(annotations.boxes, (value, i) =>
    i % 2 === 0 ? value * transform.scaleX + transform.offsetX : value * transform.scaleY + transform.offsetY,
  );
  return { sample: { image: { pixels, width: size, height: size }, annotations: { ...annotations, boxes } }, transform };
}

/** Maps boxes predicted on the letterboxed input back to the original image, clipped to its `width` x `height`. */
export function unletterboxBoxes(boxes: Float32Array, transform: LetterboxTransform, width: number, height: number): Float32Array {
  return Float32Array.from(boxes, (value, i) =>
    i % 2 === 0
      ? Math.min(Math.max((value - transform.offsetX) / transform.scaleX, 0), width)
      : Math.min(Math.max((value - transform.offsetY) / transform.scaleY, 0), height),
  );
}
