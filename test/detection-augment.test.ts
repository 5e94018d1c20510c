import { createRandom } from '../src/data/random';
import { augmentDetection, crop, flipHorizontal, randomScaleCrop } from '../src/detection/augment';
import type { DetectionSample } from '../src/detection/types';
import { letterbox, unletterboxBoxes } from '../src/detection/letterbox';
import { defaultShapesOptions, generateShapesScene } from '../src/detection/shapes';

const FILL: [number, number, number] = [114, 114, 114];

/** A width x height black image with each box painted in its own colour (box i: [40 * (i + 1), 200, 7]). */
function sampleWithBoxes(
  width: number,
  height: number,
  boxes: number[][],
  flags: Partial<Record<'difficult' | 'crowd' | 'truncated', number[]>> = {},
): DetectionSample {
  const pixels = new Uint8Array(width * height * 3);
  boxes.forEach(([x1, y1, x2, y2], i) => {
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) pixels.set([40 * (i + 1), 200, 7], (y * width + x) * 3);
  });
  const count = boxes.length;
  return {
    image: { pixels, width, height },
    annotations: {
      boxes: Float32Array.from(boxes.flat()),
      labels: Int32Array.from(boxes, (_, i) => i),
      difficult: Uint8Array.from(flags.difficult ?? new Array(count).fill(0)),
      truncated: Uint8Array.from(flags.truncated ?? new Array(count).fill(0)),
      crowd: Uint8Array.from(flags.crowd ?? new Array(count).fill(0)),
    },
  };
}

const pixel = (sample: DetectionSample, x: number, y: number) =>
  Array.from(sample.image.pixels.subarray((y * sample.image.width + x) * 3, (y * sample.image.width + x) * 3 + 3));

describe('detection augmentation keeps boxes on their pixels', () => {
  test('horizontal flip mirrors pixels and boxes; flipping twice is the identity', () => {
    const sample = sampleWithBoxes(10, 6, [[2, 1, 5, 4]]);
    const flipped = flipHorizontal(sample);
    expect(Array.from(flipped.annotations.boxes)).toEqual([5, 1, 8, 4]); // x1' = W - x2, x2' = W - x1
    expect(pixel(flipped, 5, 1)).toEqual([40, 200, 7]);
    expect(pixel(flipped, 7, 3)).toEqual([40, 200, 7]);
    expect(pixel(flipped, 4, 1)).toEqual([0, 0, 0]);
    const twice = flipHorizontal(flipped);
    expect(twice.image.pixels).toEqual(sample.image.pixels);
    expect(twice.annotations.boxes).toEqual(sample.annotations.boxes);
  });

  test('crop shifts and clips boxes, marks clipped ones truncated, drops tiny ones with their flags', () => {
    // Window x 3..13, y 2..10. Box 0 lies inside; box 1 is cut to 2 px wide (kept with minBoxSize 2); box 2 is
    // cut to 1 px (dropped); box 3 is outside.
    const sample = sampleWithBoxes(
      16,
      12,
      [
        [4, 3, 8, 7],
        [11, 4, 15, 9],
        [0, 0, 4, 5],
        [14, 10, 16, 12],
      ],
      { difficult: [0, 1, 0, 0], crowd: [0, 0, 1, 0] },
    );
    const cropped = crop(sample, { x: 3, y: 2, width: 10, height: 8 }, { minBoxSize: 2, fill: FILL });
    expect([cropped.image.width, cropped.image.height]).toEqual([10, 8]);
    expect(Array.from(cropped.annotations.boxes)).toEqual([1, 1, 5, 5, 8, 2, 10, 7]);
    expect(Array.from(cropped.annotations.labels)).toEqual([0, 1]);
    expect(Array.from(cropped.annotations.difficult)).toEqual([0, 1]);
    expect(Array.from(cropped.annotations.crowd)).toEqual([0, 0]);
    expect(Array.from(cropped.annotations.truncated)).toEqual([0, 1]);
    expect(pixel(cropped, 1, 1)).toEqual([40, 200, 7]);
    expect(pixel(cropped, 9, 6)).toEqual([80, 200, 7]);
  });

  test('a window larger than the image zooms out: the image sits inside, padding has the fill colour', () => {
    const sample = sampleWithBoxes(4, 4, [[0, 0, 2, 2]]);
    const zoomed = crop(sample, { x: -3, y: -1, width: 8, height: 6 }, { minBoxSize: 1, fill: FILL });
    expect(Array.from(zoomed.annotations.boxes)).toEqual([3, 1, 5, 3]);
    expect(pixel(zoomed, 0, 0)).toEqual(FILL);
    expect(pixel(zoomed, 3, 1)).toEqual([40, 200, 7]);
    expect(Array.from(zoomed.annotations.truncated)).toEqual([0]);
  });

  test('letterbox scales keeping the aspect ratio, centres, and unletterbox maps boxes back', () => {
    const sample = sampleWithBoxes(20, 10, [[4, 2, 10, 8]]);
    const { sample: boxed, transform } = letterbox(sample, 40, FILL);
    expect(transform).toEqual({ scaleX: 2, scaleY: 2, offsetX: 0, offsetY: 10 });
    expect(Array.from(boxed.annotations.boxes)).toEqual([8, 14, 20, 26]);
    expect(pixel(boxed, 0, 0)).toEqual(FILL);
    expect(pixel(boxed, 14, 20)).toEqual([40, 200, 7]);
    expect(pixel(boxed, 30, 20)).toEqual([0, 0, 0]);
    expect(Array.from(unletterboxBoxes(boxed.annotations.boxes, transform, 20, 10))).toEqual([4, 2, 10, 8]);
  });

  test('the full pipeline is deterministic given the seed and keeps every box on its shape', () => {
    const options = { flip: true, minScale: 0.6, maxScale: 1.4, minBoxSize: 2, size: 48, fill: FILL };
    const sceneOptions = { ...defaultShapesOptions(40), noise: 0 };
    for (let seed = 1; seed <= 6; seed++) {
      const scene = generateShapesScene(createRandom(seed), sceneOptions);
      const sample = {
        image: scene.image,
        annotations: {
          boxes: Float32Array.from(scene.objects.flatMap((object) => object.box)),
          labels: Int32Array.from(scene.objects, (object) => object.label),
          difficult: new Uint8Array(scene.objects.length),
          truncated: new Uint8Array(scene.objects.length),
          crowd: new Uint8Array(scene.objects.length),
        },
      };
      const first = augmentDetection(sample, createRandom(seed, 2), options).sample;
      const again = augmentDetection(sample, createRandom(seed, 2), options).sample;
      expect(again.image.pixels).toEqual(first.image.pixels);
      expect(again.annotations.boxes).toEqual(first.annotations.boxes);
      const background = pixel({ ...sample }, 0, 0);
      const { boxes, labels } = first.annotations;
      for (let i = 0; i < labels.length; i++) {
        const [x1, y1, x2, y2] = boxes.subarray(4 * i, 4 * i + 4);
        expect(x1 >= 0 && y1 >= 0 && x2 <= 48 && y2 <= 48 && x2 > x1 && y2 > y1).toBe(true);
        if (labels[i] !== 0) continue; // rectangles fill their box: the centre pixel must not be background
        const centre = pixel(first, Math.floor((x1 + x2) / 2), Math.floor((y1 + y2) / 2));
        expect(centre).not.toEqual(background);
      }
    }
  });

  test('random scale/crop draws different windows from different streams', () => {
    const sample = sampleWithBoxes(30, 30, [[5, 5, 25, 25]]);
    const options = { minScale: 0.5, maxScale: 1.5, minBoxSize: 1, fill: FILL };
    const sizes = new Set([1, 2, 3, 4, 5, 6].map((seed) => randomScaleCrop(sample, createRandom(seed), options).image.width));
    expect(sizes.size).toBeGreaterThan(3);
  });
});
