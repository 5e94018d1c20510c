/**
 * Bilinear resize of uint8 HWC images with half-pixel centres, as tf.image.resizeBilinear with
 * `halfPixelCenters: true` (no antialiasing), rounded to uint8. The one resizer of acaf: datasets resize once at
 * load time so that storage stays uint8, and detection letterboxes with it.
 */
export function resizeImage(
  source: Uint8Array,
  from: [number, number, number],
  to: [number, number],
  target = new Uint8Array(to[0] * to[1] * from[2]),
): Uint8Array {
  const [height, width, channels] = from;
  const [outHeight, outWidth] = to;
  const rows = samplePositions(height, outHeight);
  const columns = samplePositions(width, outWidth);
  for (let y = 0; y < outHeight; y++) {
    const { low: y0, high: y1, weight: wy } = rows[y];
    for (let x = 0; x < outWidth; x++) {
      const { low: x0, high: x1, weight: wx } = columns[x];
      for (let c = 0; c < channels; c++) {
        const at = (row: number, column: number) => source[(row * width + column) * channels + c];
        const top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
        const bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
        target[(y * outWidth + x) * channels + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return target;
}

/** Every image of a uint8 NHWC array resized to `to`. */
export function resizeImages(images: Uint8Array, count: number, from: [number, number, number], to: [number, number]): Uint8Array {
  const inSize = from[0] * from[1] * from[2];
  const outSize = to[0] * to[1] * from[2];
  const resized = new Uint8Array(count * outSize);
  for (let i = 0; i < count; i++) {
    resizeImage(images.subarray(i * inSize, (i + 1) * inSize), from, to, resized.subarray(i * outSize, (i + 1) * outSize));
  }
  return resized;
}

/** For each output index: the two source indices to blend and the weight of the second (centres at +0.5). */
function samplePositions(sourceSize: number, size: number): { low: number; high: number; weight: number }[] {
  return Array.from({ length: size }, (_, i) => {
    const position = Math.min(Math.max((i + 0.5) * (sourceSize / size) - 0.5, 0), sourceSize - 1);
    const low = Math.floor(position);
    return { low, high: Math.min(low + 1, sourceSize - 1), weight: position - low };
  });
}
