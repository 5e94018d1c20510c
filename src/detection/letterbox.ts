import type { DetectionSample } from './augment';
import type { RgbImage } from './types';

/**
 * Letterbox resize: scale the image to fit a size x size square keeping its aspect ratio (bilinear, pixel
 * centres at +0.5 as in OpenCV / tf.image.resize with half_pixel_centers), centre it, pad with `fill`.
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
  const resized = resizeBilinear(image, width, height);
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

function resizeBilinear(image: RgbImage, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const sourceX = samplePositions(image.width, width);
  const sourceY = samplePositions(image.height, height);
  for (let y = 0; y < height; y++) {
    const { low: y0, high: y1, weight: wy } = sourceY[y];
    for (let x = 0; x < width; x++) {
      const { low: x0, high: x1, weight: wx } = sourceX[x];
      for (let c = 0; c < 3; c++) {
        const at = (row: number, column: number) => image.pixels[(row * image.width + column) * 3 + c];
        const top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
        const bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
        out[(y * width + x) * 3 + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return out;
}

/** For each output index: the two source indices to blend and the weight of the second. */
function samplePositions(sourceSize: number, size: number): { low: number; high: number; weight: number }[] {
  return Array.from({ length: size }, (_, i) => {
    const position = Math.min(Math.max((i + 0.5) * (sourceSize / size) - 0.5, 0), sourceSize - 1);
    const low = Math.floor(position);
    return { low, high: Math.min(low + 1, sourceSize - 1), weight: position - low };
  });
}
