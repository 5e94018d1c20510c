/**
 * Bilinear resize of uint8 HWC images with half-pixel centres (tf.image.resize 'bilinear' without antialiasing),
 * done once at load time so that storage stays uint8.
 */
export function resizeImage(
  source: Uint8Array,
  from: [number, number, number],
  to: [number, number],
  target = new Uint8Array(to[0] * to[1] * from[2]),
): Uint8Array {
  const [height, width, channels] = from;
  const [outHeight, outWidth] = to;
  const scaleY = height / outHeight;
  const scaleX = width / outWidth;
  for (let y = 0; y < outHeight; y++) {
    const sourceY = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), height - 1);
    const y0 = Math.floor(sourceY);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = sourceY - y0;
    for (let x = 0; x < outWidth; x++) {
      const sourceX = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), width - 1);
      const x0 = Math.floor(sourceX);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = sourceX - x0;
      for (let c = 0; c < channels; c++) {
        const top = source[(y0 * width + x0) * channels + c] * (1 - wx) + source[(y0 * width + x1) * channels + c] * wx;
        const bottom = source[(y1 * width + x0) * channels + c] * (1 - wx) + source[(y1 * width + x1) * channels + c] * wx;
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
