import { randomInt, Random } from '../data/random';
import type { RgbImage } from './types';

/**
 * Synthetic detection scenes: coloured rectangles, ellipses and triangles on a plain or noisy background. Shapes do
 * not overlap (their boxes keep a 1-pixel gap), so every object is fully visible, and each box is the tight box of
 * the pixels actually painted: [min x, min y, max x + 1, max y + 1] in continuous coordinates.
 */

export const SHAPE_CLASSES = ['rectangle', 'ellipse', 'triangle'];

export interface ShapesOptions {
  /** Image side in pixels. */
  size: number;
  /** Each image has 1..maxShapes shapes (fewer when no free place is found). */
  maxShapes: number;
  /** Shape side range in pixels. */
  minShapeSize: number;
  maxShapeSize: number;
  /** Half-width of the uniform per-pixel noise on noisy backgrounds (half of the images). */
  noise: number;
}

export interface ShapeObject {
  label: number;
  box: [number, number, number, number];
  /** Number of painted pixels (COCO's `area`). */
  area: number;
}

export interface ShapesScene {
  image: RgbImage;
  objects: ShapeObject[];
}

export function defaultShapesOptions(size: number): ShapesOptions {
  return {
    size,
    maxShapes: 4,
    minShapeSize: Math.max(4, Math.round(size / 8)),
    maxShapeSize: Math.max(6, Math.round(size / 2)),
    noise: 24,
  };
}

const PLACEMENT_TRIES = 30;

/** One scene; the same `random` sequence gives the same scene. */
export function generateShapesScene(random: Random, options: ShapesOptions): ShapesScene {
  const { size } = options;
  const background = [randomInt(random, 256), randomInt(random, 256), randomInt(random, 256)];
  const noise = random() < 0.5 ? options.noise : 0;
  const pixels = new Uint8Array(size * size * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = clampByte(background[i % 3] + (noise ? (random() * 2 - 1) * noise : 0));

  const objects: ShapeObject[] = [];
  const regions: number[][] = [];
  const count = 1 + randomInt(random, options.maxShapes);
  for (let tries = 0; objects.length < count && tries < PLACEMENT_TRIES * count; tries++) {
    const width = options.minShapeSize + randomInt(random, Math.min(options.maxShapeSize, size) - options.minShapeSize + 1);
    const height = options.minShapeSize + randomInt(random, Math.min(options.maxShapeSize, size) - options.minShapeSize + 1);
    const region = [randomInt(random, size - width + 1), randomInt(random, size - height + 1), width, height];
    if (regions.some((other) => overlapsWithGap(region, other))) continue;
    const label = randomInt(random, SHAPE_CLASSES.length);
    const mask = shapeMask(label, width, height, random);
    const object = paint(pixels, size, region, mask, contrastingColour(background, random));
    if (!object) continue;
    regions.push(region);
    objects.push({ label, ...object });
  }
  return { image: { pixels, width: size, height: size }, objects };
}

function clampByte(value: number): number {
  return Math.min(255, Math.max(0, Math.round(value)));
}

/** Whether two [x, y, w, h] regions come closer than one pixel. */
function overlapsWithGap(a: number[], b: number[]): boolean {
  return a[0] < b[0] + b[2] + 1 && b[0] < a[0] + a[2] + 1 && a[1] < b[1] + b[3] + 1 && b[1] < a[1] + a[3] + 1;
}

/** A colour at least 150 away from the background in summed channel distance, so every shape stands out. */
function contrastingColour(background: number[], random: Random): number[] {
  for (;;) {
    const colour = [randomInt(random, 256), randomInt(random, 256), randomInt(random, 256)];
    if (colour.reduce((sum, value, c) => sum + Math.abs(value - background[c]), 0) >= 150) return colour;
  }
}

/** width x height mask (1 = inside), tested at pixel centres. */
function shapeMask(label: number, width: number, height: number, random: Random): Uint8Array {
  const mask = new Uint8Array(width * height);
  const apex = random() * width; // triangles: apex on the top edge, base along the bottom edge
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      let inside: boolean;
      if (SHAPE_CLASSES[label] === 'rectangle') inside = true;
      else if (SHAPE_CLASSES[label] === 'ellipse')
        inside = ((px - width / 2) / (width / 2)) ** 2 + ((py - height / 2) / (height / 2)) ** 2 <= 1;
      else inside = px >= (apex * (height - py)) / height && px <= apex + ((width - apex) * py) / height;
      mask[y * width + x] = Number(inside);
    }
  }
  return mask;
}

/** Paints the mask at `region` and returns the tight box of the painted pixels (undefined when none was painted). */
function paint(
  pixels: Uint8Array,
  size: number,
  [left, top, width, height]: number[],
  mask: Uint8Array,
  colour: number[],
): Omit<ShapeObject, 'label'> | undefined {
  let [minX, minY, maxX, maxY, area] = [Infinity, Infinity, -1, -1, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const offset = ((top + y) * size + left + x) * 3;
      pixels.set(colour, offset);
      [minX, minY, maxX, maxY] = [Math.min(minX, left + x), Math.min(minY, top + y), Math.max(maxX, left + x), Math.max(maxY, top + y)];
      area++;
    }
  }
  return area ? { box: [minX, minY, maxX + 1, maxY + 1], area } : undefined;
}
