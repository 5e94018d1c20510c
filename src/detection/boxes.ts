/** Box geometry on packed `[x1, y1, x2, y2]` arrays in continuous pixel coordinates (see types.ts). */

/** Area of box `i` of `boxes`; 0 for an empty or inverted box. */
export function boxArea(boxes: ArrayLike<number>, i: number): number {
  const width = boxes[4 * i + 2] - boxes[4 * i];
  const height = boxes[4 * i + 3] - boxes[4 * i + 1];
  return width > 0 && height > 0 ? width * height : 0;
}

/** Area of the intersection of box `i` of `a` and box `j` of `b`. */
export function intersectionArea(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  const width = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
  const height = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
  return width > 0 && height > 0 ? width * height : 0;
}

/**
 * Intersection over union of box `i` of `a` and box `j` of `b`.
 *
 * The VOC devkit computes IoU on 1-based inclusive pixel indices with "+1" widths
 * (`iw = min(xmax) - max(xmin) + 1`, `area = (xmax - xmin + 1) * (ymax - ymin + 1)`). With x1 = xmin - 1 and
 * x2 = xmax (types.ts) those are exactly `min(x2) - max(x1)` and `(x2 - x1) * (y2 - y1)`, so this one formula is
 * the devkit's in VOC mode and pycocotools' in COCO mode.
 */
export function boxIou(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  const intersection = intersectionArea(a, i, b, j);
  if (intersection === 0) return 0;
  return intersection / (boxArea(a, i) + boxArea(b, j) - intersection);
}
