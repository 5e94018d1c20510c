/**
 * The one bilinear resizer (data/resize.ts, also used by detection's letterbox) against tf.image.resizeBilinear
 * with half-pixel centres on the cpu backend, the oracle: up- and down-scaling, non-integer ratios, one-pixel
 * sides, one and three channels.
 */
import * as tf from '@tensorflow/tfjs';
import { resizeImage, resizeImages } from '../src/data/resize';
import { letterbox } from '../src/detection/letterbox';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic pixels with edges and gradients (an LCG, so each case has its own pattern). */
function pixels(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 256);
}

/** tf.image.resizeBilinear's float result for one HWC image, as doubles. */
function oracle(
  source: Uint8Array,
  [height, width, channels]: [number, number, number],
  [outHeight, outWidth]: [number, number],
): Float32Array {
  return tf.tidy(() => {
    const image = tf.tensor3d(Float32Array.from(source), [height, width, channels]);
    return tf.image.resizeBilinear(image, [outHeight, outWidth], false, true).dataSync() as Float32Array;
  });
}

/** Ours is the oracle rounded; float32 rounding may only move a value that sits on .5 by one. */
function expectMatchesOracle(ours: Uint8Array, expected: Float32Array): void {
  expect(ours).toHaveLength(expected.length);
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] !== Math.round(expected[i])) {
      expect(Math.abs(expected[i] - Math.floor(expected[i]) - 0.5)).toBeLessThan(1e-3);
      expect(Math.abs(ours[i] - expected[i])).toBeLessThanOrEqual(0.5 + 1e-3);
    }
  }
}

it.each([
  [
    [8, 8, 3],
    [4, 4],
  ],
  [
    [4, 4, 3],
    [8, 8],
  ],
  [
    [7, 5, 3],
    [3, 11],
  ],
  [
    [84, 84, 3],
    [32, 32],
  ],
  [
    [28, 28, 1],
    [11, 17],
  ],
  [
    [1, 9, 3],
    [5, 2],
  ],
  [
    [6, 1, 1],
    [1, 1],
  ],
  [
    [3, 3, 3],
    [3, 3],
  ],
  [
    [13, 31, 3],
    [29, 7],
  ],
] as [[number, number, number], [number, number]][])('%j -> %j matches tf.image.resizeBilinear (half-pixel centres)', (from, to) => {
  const source = pixels(from[0] * from[1] * from[2], from[0] * 100 + to[1]);
  expectMatchesOracle(resizeImage(source, from, to), oracle(source, from, to));
});

it('resizeImages resizes each image of a batch on its own', () => {
  const from: [number, number, number] = [5, 6, 3];
  const batch = pixels(3 * 90, 7);
  const resized = resizeImages(batch, 3, from, [4, 9]);
  for (let i = 0; i < 3; i++) {
    expectMatchesOracle(resized.subarray(i * 108, (i + 1) * 108), oracle(batch.subarray(i * 90, (i + 1) * 90), from, [4, 9]));
  }
});

it('letterbox places the tf-resized image in the padded square', () => {
  const image = { pixels: pixels(10 * 20 * 3, 3), width: 20, height: 10 };
  const none = new Uint8Array(0);
  const annotations = { boxes: new Float32Array(0), labels: new Int32Array(0), difficult: none, truncated: none, crowd: none };
  const { sample, transform } = letterbox({ image, annotations }, 16, [1, 2, 3]);
  // 20x10 fits 16x16 as 16x8, centred with 4 rows of padding above.
  expect(transform).toEqual({ scaleX: 0.8, scaleY: 0.8, offsetX: 0, offsetY: 4 });
  expect(Array.from(sample.image.pixels.subarray(0, 6))).toEqual([1, 2, 3, 1, 2, 3]);
  expectMatchesOracle(sample.image.pixels.subarray(4 * 16 * 3, 12 * 16 * 3), oracle(image.pixels, [10, 20, 3], [8, 16]));
  expect(Array.from(sample.image.pixels.subarray(12 * 16 * 3, 12 * 16 * 3 + 3))).toEqual([1, 2, 3]);
});
