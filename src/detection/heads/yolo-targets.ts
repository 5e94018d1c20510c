import { AcafError } from '../../errors';
import { AnchorTable, predictionIndex } from './anchors';
import type { GroundTruthBatch } from './types';

/**
 * Training targets of one batch for a YOLOv3-style head, as flat arrays ready for `tf.tensor`:
 * B = batch size, N = predictions per image (AnchorTable.count), C = classes, G = most boxes in one image (>= 1).
 */
export interface EncodedTargets {
  batchSize: number;
  count: number;
  numClasses: number;
  maxBoxes: number;
  /** [B, N]: 1 where a ground-truth box is assigned to the prediction. */
  positive: Float32Array;
  /** [B, N, 4]: the assigned box, x1 y1 x2 y2 in input pixels (0 elsewhere). */
  boxes: Float32Array;
  /** [B, N, 4]: the assigned box in the head's coding: centre offset in its cell (in [0, 1]) and log-scale to the anchor. */
  offsets: Float32Array;
  /** [B, N, C]: one-hot class of the assigned box. */
  classes: Float32Array;
  /** [B, G, 4]: every ground-truth box, zero-padded, for the objectness ignore rule. */
  truth: Float32Array;
  /** [B, G]: 1 for a real box, 0 for padding. */
  truthValid: Float32Array;
}

/** IoU of two boxes of sizes a and b placed on the same centre: how well an anchor's shape fits a box. */
function shapeIou([aw, ah]: [number, number], [bw, bh]: [number, number]): number {
  const intersection = Math.min(aw, bw) * Math.min(ah, bh);
  return intersection / (aw * ah + bw * bh - intersection);
}

/**
 * Assigns each ground-truth box to predictions, as YOLOv3 does: the anchor (over all levels) whose shape fits
 * the box best, in the cell of that level containing the box centre; and, when `assignThreshold` is below 1, also
 * every other anchor whose shape IoU with the box exceeds it (as YOLOv4 and later do: more positives per box, so
 * objectness and boxes learn from more cells). When two boxes land on the same prediction the later one wins
 * (as in darknet). Boxes of zero width or height cannot be encoded and are skipped.
 * The work is proportional to the number of boxes, not of predictions; the per-prediction part of the loss
 * (the ignore rule) runs vectorised on tensors.
 */
export function encodeTargets(truth: GroundTruthBatch, table: AnchorTable, numClasses: number, assignThreshold = 1): EncodedTargets {
  const batchSize = truth.boxes.length;
  const { count } = table;
  const maxBoxes = Math.max(1, ...truth.labels.map((labels) => labels.length));
  const targets: EncodedTargets = {
    batchSize,
    count,
    numClasses,
    maxBoxes,
    positive: new Float32Array(batchSize * count),
    boxes: new Float32Array(batchSize * count * 4),
    offsets: new Float32Array(batchSize * count * 4),
    classes: new Float32Array(batchSize * count * numClasses),
    truth: new Float32Array(batchSize * maxBoxes * 4),
    truthValid: new Float32Array(batchSize * maxBoxes),
  };
  const candidates = table.levels.flatMap((level) => level.anchors.map((anchor, index) => ({ level, anchor, index })));
  for (let image = 0; image < batchSize; image++) {
    const boxes = truth.boxes[image];
    const labels = truth.labels[image];
    for (let box = 0; box < labels.length; box++) {
      const [x1, y1, x2, y2] = boxes.subarray(4 * box, 4 * box + 4);
      const label = labels[box];
      if (!(label >= 0 && label < numClasses)) throw new AcafError(`detection target: class ${label} is outside 0..${numClasses - 1}`);
      targets.truth.set([x1, y1, x2, y2], (image * maxBoxes + box) * 4);
      targets.truthValid[image * maxBoxes + box] = 1;
      const [width, height] = [x2 - x1, y2 - y1];
      if (!(width > 0 && height > 0)) continue;

      const fit = (candidate: (typeof candidates)[number]) => shapeIou(candidate.anchor, [width, height]);
      const best = candidates.reduce((a, b) => (fit(b) > fit(a) ? b : a));
      for (const { level, anchor, index } of candidates.filter((candidate) => candidate === best || fit(candidate) > assignThreshold)) {
        const [centreX, centreY] = [(x1 + x2) / 2 / level.strideX, (y1 + y2) / 2 / level.strideY];
        const cellX = Math.min(level.width - 1, Math.max(0, Math.floor(centreX)));
        const cellY = Math.min(level.height - 1, Math.max(0, Math.floor(centreY)));
        const at = image * count + predictionIndex(level, cellX, cellY, index);
        targets.positive[at] = 1;
        targets.boxes.set([x1, y1, x2, y2], at * 4);
        targets.offsets.set([centreX - cellX, centreY - cellY, Math.log(width / anchor[0]), Math.log(height / anchor[1])], at * 4);
        targets.classes.fill(0, at * numClasses, (at + 1) * numClasses);
        targets.classes[at * numClasses + label] = 1;
      }
    }
  }
  return targets;
}
