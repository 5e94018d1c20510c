import { boxIou } from './boxes';
import type { BoxAnnotations, ImageDetections } from './types';

/**
 * PASCAL VOC detection AP, as the official devkit (VOCevaldet.m) and py-faster-rcnn's voc_eval.py compute it.
 * Per class: detections sorted by score (highest first; ties keep input order); each is matched greedily to the
 * unmatched ground-truth box of its image with the largest IoU, which must be strictly above the threshold (0.5).
 * A detection whose best box is `difficult` counts as neither true nor false positive; a second detection of an
 * already matched box is a false positive; difficult boxes are not counted in the number of positives.
 */

export type VocMetric = 'voc07' | 'voc2010';

export interface VocEvalOptions {
  /** `voc07`: 11-point interpolated AP (VOC2007 test); `voc2010`: area under the interpolated curve (VOC2010+). */
  metric: VocMetric;
  /** A detection matches when IoU > this (strictly, as in the devkit). Default 0.5. */
  iouThreshold?: number;
}

export interface VocEvalResult {
  /** AP per class; NaN for a class without any non-difficult ground-truth box. */
  ap: number[];
  /** Mean of `ap` over the classes that have ground truth; NaN when none has. */
  mAP: number;
}

export interface VocGroundTruth extends Pick<BoxAnnotations, 'boxes' | 'labels' | 'difficult'> {
  id: number;
}

/** Evaluates `detections` against `groundTruth` (matched by image id) for classes 0..classCount-1. */
export function evaluateVoc(
  groundTruth: VocGroundTruth[],
  detections: ImageDetections[],
  classCount: number,
  options: VocEvalOptions,
): VocEvalResult {
  const imagesById = new Map(groundTruth.map((image) => [image.id, image]));
  const ap: number[] = [];
  for (let label = 0; label < classCount; label++) {
    const { truePositive, falsePositive } = matchClass(label, imagesById, detections, options.iouThreshold ?? 0.5);
    const positives = groundTruth.reduce((sum, image) => sum + countPositives(image, label), 0);
    ap.push(positives === 0 ? NaN : averagePrecision(truePositive, falsePositive, positives, options.metric));
  }
  const defined = ap.filter((value) => !Number.isNaN(value));
  const mAP = defined.length ? defined.reduce((sum, value) => sum + value, 0) / defined.length : NaN;
  return { ap, mAP };
}

function countPositives(image: VocGroundTruth, label: number): number {
  let count = 0;
  for (let i = 0; i < image.labels.length; i++) if (image.labels[i] === label && !image.difficult[i]) count++;
  return count;
}

/** Per ranked detection of class `label`: 1 in `truePositive` or `falsePositive` (both 0 when it hit a difficult box). */
function matchClass(
  label: number,
  imagesById: Map<number, VocGroundTruth>,
  detections: ImageDetections[],
  iouThreshold: number,
): { truePositive: Uint8Array; falsePositive: Uint8Array } {
  const ranked: { image: ImageDetections; index: number }[] = [];
  for (const image of detections) {
    for (let index = 0; index < image.labels.length; index++) if (image.labels[index] === label) ranked.push({ image, index });
  }
  ranked.sort((a, b) => b.image.scores[b.index] - a.image.scores[a.index]);

  const matched = new Map<number, Uint8Array>();
  const truePositive = new Uint8Array(ranked.length);
  const falsePositive = new Uint8Array(ranked.length);
  ranked.forEach(({ image, index }, rank) => {
    const truth = imagesById.get(image.imageId);
    let bestIou = -Infinity;
    let best = -1;
    for (let j = 0; truth && j < truth.labels.length; j++) {
      if (truth.labels[j] !== label) continue;
      const iou = boxIou(image.boxes, index, truth.boxes, j);
      if (iou > bestIou) [bestIou, best] = [iou, j];
    }
    if (!truth || best < 0 || !(bestIou > iouThreshold)) {
      falsePositive[rank] = 1;
      return;
    }
    if (truth.difficult[best]) return;
    if (!matched.has(truth.id)) matched.set(truth.id, new Uint8Array(truth.labels.length));
    const used = matched.get(truth.id)!;
    if (used[best]) falsePositive[rank] = 1;
    else [used[best], truePositive[rank]] = [1, 1];
  });
  return { truePositive, falsePositive };
}

/** AP from the ranked true/false-positive flags, as voc_ap() in voc_eval.py. */
export function averagePrecision(truePositive: Uint8Array, falsePositive: Uint8Array, positives: number, metric: VocMetric): number {
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < truePositive.length; i++) {
    tp += truePositive[i];
    fp += falsePositive[i];
    recall.push(tp / positives);
    // voc_eval.py divides by max(tp + fp, eps): a leading difficult hit has precision 0, not NaN.
    precision.push(tp / Math.max(tp + fp, Number.EPSILON));
  }
  return metric === 'voc07' ? elevenPointAp(recall, precision) : allPointAp(recall, precision);
}

/** Mean over t = 0, 0.1, ..., 1 of the best precision at recall >= t (0 when recall never reaches t). */
function elevenPointAp(recall: number[], precision: number[]): number {
  let sum = 0;
  for (let step = 0; step <= 10; step++) {
    const threshold = step * 0.1; // as numpy's arange(0., 1.1, 0.1) computes it
    let best = 0;
    for (let i = 0; i < recall.length; i++) if (recall[i] >= threshold) best = Math.max(best, precision[i]);
    sum += best / 11;
  }
  return sum;
}

/** Area under the precision envelope (precision made monotonically decreasing), summed where recall changes. */
function allPointAp(recall: number[], precision: number[]): number {
  const mrec = [0, ...recall, 1];
  const mpre = [0, ...precision, 0];
  for (let i = mpre.length - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
  let ap = 0;
  for (let i = 0; i + 1 < mrec.length; i++) if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
  return ap;
}
