import { AcafError } from '../../errors';

/** An anchor's [width, height] in input pixels. */
export type AnchorSize = [number, number];

/** YOLOv3's COCO anchors (k-means at a 416x416 input), finest level first (Redmon and Farhadi, 2018). */
const YOLOV3_ANCHORS_416: AnchorSize[][] = [
  [
    [10, 13],
    [16, 30],
    [33, 23],
  ],
  [
    [30, 61],
    [62, 45],
    [59, 119],
  ],
  [
    [116, 90],
    [156, 198],
    [373, 326],
  ],
];

/** The strides of YOLOv3's three anchor groups. */
const YOLOV3_STRIDES = [8, 16, 32];

/**
 * YOLOv3's anchors for feature levels of the given [y, x] strides (finest first), each group kept in the same
 * proportion to its level's stride as in YOLOv3; with fewer than three levels the coarsest groups are used
 * (their shapes are the larger, more varied ones). So a stride-4/8/16 backbone gets YOLOv3's anchors halved.
 */
export function defaultAnchors(strides: [number, number][]): AnchorSize[][] {
  if (strides.length > YOLOV3_ANCHORS_416.length) {
    throw new AcafError(
      `model.head.anchors: give anchors for each of the ${strides.length} backbone levels (defaults exist for at most 3)`,
    );
  }
  const first = YOLOV3_ANCHORS_416.length - strides.length;
  return strides.map(([strideY, strideX], level) => {
    const scale = YOLOV3_STRIDES[first + level];
    return YOLOV3_ANCHORS_416[first + level].map(([w, h]) => [(w * strideX) / scale, (h * strideY) / scale] as AnchorSize);
  });
}

/** One feature level: a height x width grid of cells, each predicting one box per anchor. */
export interface AnchorLevel {
  height: number;
  width: number;
  /** Input pixels per cell along y and x (input size / grid size, not necessarily an integer). */
  strideY: number;
  strideX: number;
  anchors: AnchorSize[];
  /** Index of this level's first prediction in the concatenated prediction list. */
  offset: number;
}

/**
 * Where every prediction sits, in the order the head concatenates them: level by level (finest first), then
 * row-major over cells, then anchor. Prediction `offset + (y * width + x) * anchors + a`.
 */
export interface AnchorTable {
  levels: AnchorLevel[];
  count: number;
  cellX: Float32Array;
  cellY: Float32Array;
  strideX: Float32Array;
  strideY: Float32Array;
  anchorWidth: Float32Array;
  anchorHeight: Float32Array;
}

/** The table for feature grids of `gridSizes` ([height, width] each) at input size `inputSize`. */
export function anchorTable(
  gridSizes: [number, number][],
  anchors: AnchorSize[][],
  [inputHeight, inputWidth]: [number, number],
): AnchorTable {
  if (anchors.length !== gridSizes.length) {
    throw new AcafError(`model.head.anchors: has ${anchors.length} levels but the backbone gives ${gridSizes.length} feature maps`);
  }
  let offset = 0;
  const levels = gridSizes.map(([height, width], level) => {
    const entry = { height, width, strideY: inputHeight / height, strideX: inputWidth / width, anchors: anchors[level], offset };
    offset += height * width * anchors[level].length;
    return entry;
  });
  const table: AnchorTable = {
    levels,
    count: offset,
    cellX: new Float32Array(offset),
    cellY: new Float32Array(offset),
    strideX: new Float32Array(offset),
    strideY: new Float32Array(offset),
    anchorWidth: new Float32Array(offset),
    anchorHeight: new Float32Array(offset),
  };
  for (const level of levels) {
    for (let y = 0; y < level.height; y++) {
      for (let x = 0; x < level.width; x++) {
        level.anchors.forEach(([anchorWidth, anchorHeight], a) => {
          const index = predictionIndex(level, x, y, a);
          table.cellX[index] = x;
          table.cellY[index] = y;
          table.strideX[index] = level.strideX;
          table.strideY[index] = level.strideY;
          table.anchorWidth[index] = anchorWidth;
          table.anchorHeight[index] = anchorHeight;
        });
      }
    }
  }
  return table;
}

export function predictionIndex(level: AnchorLevel, x: number, y: number, anchor: number): number {
  return level.offset + (y * level.width + x) * level.anchors.length + anchor;
}
