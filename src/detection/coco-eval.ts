import { AcafError } from '../errors';
import type { CocoAnnotation, CocoInstances, CocoResult } from './coco-format';

/**
 * COCO bounding-box evaluation, a line-by-line port of pycocotools' COCOeval (iouType 'bbox', useCats 1):
 * evaluate() -> evaluateImage(), accumulate() -> accumulate(), summarize() -> summarize().
 * Ties are broken as pycocotools breaks them (stable sorts; among equal IoUs the later ground-truth box wins).
 * Difference: pycocotools marks a detection matched by storing the ground-truth id, so a box with id 0 never
 * counts as matched; here matching does not depend on ids.
 */

/** np.linspace(.5, .95, 10), computed as numpy does (start + i * step, last value exact). */
export const IOU_THRESHOLDS = Array.from({ length: 10 }, (_, i) => (i === 9 ? 0.95 : 0.5 + i * ((0.95 - 0.5) / 9)));
/** np.linspace(0, 1, 101). */
export const RECALL_THRESHOLDS = Array.from({ length: 101 }, (_, i) => i * 0.01);
export const AREA_RANGES = { all: [0, 1e10], small: [0, 32 ** 2], medium: [32 ** 2, 96 ** 2], large: [96 ** 2, 1e10] } as const;
export const MAX_DETECTIONS = [1, 10, 100] as const;

const AREAS = Object.values(AREA_RANGES);
const T = IOU_THRESHOLDS.length;
const R = RECALL_THRESHOLDS.length;
const A = AREAS.length;
const M = MAX_DETECTIONS.length;

/** The 12 numbers of COCOeval.summarize(), -1 where undefined (no ground truth in that area range). */
export interface CocoSummary {
  AP: number;
  AP50: number;
  AP75: number;
  APs: number;
  APm: number;
  APl: number;
  AR1: number;
  AR10: number;
  AR100: number;
  ARs: number;
  ARm: number;
  ARl: number;
}

export interface CocoCategoryResult {
  categoryId: number;
  name: string;
  /** AP@[.5:.95], area all, 100 detections; -1 when the category has no ground truth. */
  AP: number;
  AP50: number;
}

export interface CocoEvalResult {
  summary: CocoSummary;
  perCategory: CocoCategoryResult[];
}

interface Detection {
  bbox: [number, number, number, number];
  score: number;
  area: number;
}

interface GroundTruth {
  bbox: [number, number, number, number];
  area: number;
  crowd: boolean;
}

/** The ground truth and detections of one (image, category), detections sorted by score and cut to 100. */
interface Cell {
  truths: GroundTruth[];
  detections: Detection[];
  /** ious[d][g]. */
  ious: number[][];
}

/** evaluateImg()'s output for one cell, area range and maxDets = 100. */
interface ImageEvaluation {
  scores: number[];
  /** [t][d]: matched to a ground-truth box at IoU threshold t. */
  matched: boolean[][];
  /** [t][d]: matched to an ignored box, or unmatched and outside the area range. */
  ignored: boolean[][];
  truthIgnored: boolean[];
}

/** Evaluates COCO-format `results` against `truth` exactly as COCOeval does for bounding boxes. */
export function evaluateCoco(truth: CocoInstances, results: CocoResult[]): CocoEvalResult {
  const imageIds = [...new Set(truth.images.map((image) => image.id))].sort((a, b) => a - b);
  const categories = [...truth.categories].sort((a, b) => a.id - b.id);
  checkResultImages(imageIds, results);

  const cells = buildCells(
    imageIds,
    categories.map((category) => category.id),
    truth.annotations,
    results,
  );
  // evaluations[k][a][i], undefined where the cell has neither ground truth nor detections.
  const evaluations = cells.map((row) => AREAS.map((range) => row.map((cell) => evaluateImage(cell, range))));
  const { precision, recall } = accumulate(evaluations);

  const K = categories.length;
  const precisionAt = (t: number, r: number, k: number, a: number, m: number) => precision[(((t * R + r) * K + k) * A + a) * M + m];
  const recallAt = (t: number, k: number, a: number, m: number) => recall[((t * K + k) * A + a) * M + m];
  const everyCategory = categories.map((_, k) => k);
  const meanAp = (ks: number[], ts: number[], a: number, m: number) =>
    meanDefined(ts.flatMap((t) => RECALL_THRESHOLDS.flatMap((_, r) => ks.map((k) => precisionAt(t, r, k, a, m)))));
  const meanAr = (a: number, m: number) => meanDefined(allThresholds().flatMap((t) => everyCategory.map((k) => recallAt(t, k, a, m))));

  const summary: CocoSummary = {
    AP: meanAp(everyCategory, allThresholds(), 0, 2),
    AP50: meanAp(everyCategory, [0], 0, 2),
    AP75: meanAp(everyCategory, [5], 0, 2),
    APs: meanAp(everyCategory, allThresholds(), 1, 2),
    APm: meanAp(everyCategory, allThresholds(), 2, 2),
    APl: meanAp(everyCategory, allThresholds(), 3, 2),
    AR1: meanAr(0, 0),
    AR10: meanAr(0, 1),
    AR100: meanAr(0, 2),
    ARs: meanAr(1, 2),
    ARm: meanAr(2, 2),
    ARl: meanAr(3, 2),
  };
  const perCategory = categories.map((category, k) => ({
    categoryId: category.id,
    name: category.name,
    AP: meanAp([k], allThresholds(), 0, 2),
    AP50: meanAp([k], [0], 0, 2),
  }));
  return { summary, perCategory };
}

function allThresholds(): number[] {
  return IOU_THRESHOLDS.map((_, t) => t);
}

/** Mean of the values > -1, or -1 when there are none (summarize()'s rule). */
function meanDefined(values: number[]): number {
  const defined = values.filter((value) => value > -1);
  return defined.length ? defined.reduce((sum, value) => sum + value, 0) / defined.length : -1;
}

function checkResultImages(imageIds: number[], results: CocoResult[]): void {
  const known = new Set(imageIds);
  const stranger = results.find((result) => !known.has(result.image_id));
  if (stranger) throw new AcafError(`detections refer to image_id ${stranger.image_id}, which the ground truth does not have`);
}

/** cells[k][i] for category k and image i (both sorted by id), as COCOeval._prepare() and computeIoU() build them. */
function buildCells(imageIds: number[], categoryIds: number[], annotations: CocoAnnotation[], results: CocoResult[]): Cell[][] {
  const imageIndex = new Map(imageIds.map((id, i) => [id, i]));
  const categoryIndex = new Map(categoryIds.map((id, k) => [id, k]));
  const cells: Cell[][] = categoryIds.map(() => imageIds.map(() => ({ truths: [], detections: [], ious: [] })));
  const cellOf = (imageId: number, categoryId: number): Cell | undefined => {
    const i = imageIndex.get(imageId);
    const k = categoryIndex.get(categoryId);
    return i === undefined || k === undefined ? undefined : cells[k][i];
  };
  for (const annotation of annotations) {
    const [, , width, height] = annotation.bbox;
    // Real COCO gives the segmentation area; a file without `area` falls back to the box area.
    const area = annotation.area ?? width * height;
    cellOf(annotation.image_id, annotation.category_id)?.truths.push({ bbox: annotation.bbox, area, crowd: Boolean(annotation.iscrowd) });
  }
  // Detections in image order, then file order, as COCO.getAnnIds() returns them; loadRes() sets area = w * h.
  const byImage = [...results].sort((a, b) => imageIndex.get(a.image_id)! - imageIndex.get(b.image_id)!);
  for (const result of byImage) {
    cellOf(result.image_id, result.category_id)?.detections.push({
      bbox: result.bbox,
      score: result.score,
      area: result.bbox[2] * result.bbox[3],
    });
  }
  for (const cell of cells.flat()) {
    cell.detections = stableSortByScore(cell.detections).slice(0, MAX_DETECTIONS[M - 1]);
    cell.ious = cell.detections.map((detection) => cell.truths.map((truth) => boxIouXywh(detection.bbox, truth.bbox, truth.crowd)));
  }
  return cells;
}

function stableSortByScore<T extends { score: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.score - a.score);
}

/** maskApi.c bbIou(): IoU of [x, y, w, h] boxes; for a crowd box the union is the detection's area alone. */
export function boxIouXywh(detection: readonly number[], truth: readonly number[], crowd: boolean): number {
  const width = Math.min(detection[2] + detection[0], truth[2] + truth[0]) - Math.max(detection[0], truth[0]);
  if (width <= 0) return 0;
  const height = Math.min(detection[3] + detection[1], truth[3] + truth[1]) - Math.max(detection[1], truth[1]);
  if (height <= 0) return 0;
  const intersection = width * height;
  const detectionArea = detection[2] * detection[3];
  const union = crowd ? detectionArea : detectionArea + truth[2] * truth[3] - intersection;
  return intersection / union;
}

/** COCOeval.evaluateImg() for one cell and area range, with maxDet = 100. */
function evaluateImage(cell: Cell, [low, high]: readonly number[]): ImageEvaluation | undefined {
  if (!cell.truths.length && !cell.detections.length) return undefined;
  const outside = (area: number) => area < low || area > high;
  const isIgnored = (truth: GroundTruth) => truth.crowd || outside(truth.area);
  // Ground truth with ignored boxes last (stable), so a detection prefers a regular box over an ignored one.
  const truthOrder = cell.truths.map((_, g) => g).sort((a, b) => Number(isIgnored(cell.truths[a])) - Number(isIgnored(cell.truths[b])));
  const truths = truthOrder.map((g) => cell.truths[g]);
  const truthIgnored = truths.map(isIgnored);
  const detections = cell.detections;

  const matched = IOU_THRESHOLDS.map(() => detections.map(() => false));
  const ignored = IOU_THRESHOLDS.map(() => detections.map(() => false));
  IOU_THRESHOLDS.forEach((threshold, t) => {
    const truthTaken = truths.map(() => false);
    detections.forEach((_, d) => {
      let bestIou = Math.min(threshold, 1 - 1e-10);
      let best = -1;
      for (let g = 0; g < truths.length; g++) {
        if (truthTaken[g] && !truths[g].crowd) continue; // a crowd region can absorb many detections
        if (best > -1 && !truthIgnored[best] && truthIgnored[g]) break; // already on a regular box: stop at the ignored ones
        const iou = cell.ious[d][truthOrder[g]];
        if (iou < bestIou) continue;
        [bestIou, best] = [iou, g];
      }
      if (best === -1) return;
      ignored[t][d] = truthIgnored[best];
      matched[t][d] = true;
      truthTaken[best] = true;
    });
  });
  detections.forEach((detection, d) => {
    for (let t = 0; t < T; t++) if (!matched[t][d] && outside(detection.area)) ignored[t][d] = true;
  });
  return { scores: detections.map((detection) => detection.score), matched, ignored, truthIgnored };
}

/** COCOeval.accumulate(): precision[t][r][k][a][m] and recall[t][k][a][m], flattened, -1 where undefined. */
function accumulate(evaluations: (ImageEvaluation | undefined)[][][]): { precision: Float64Array; recall: Float64Array } {
  const K = evaluations.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const images = evaluations[k][a].filter((evaluation): evaluation is ImageEvaluation => evaluation !== undefined);
      if (!images.length) continue;
      const positives = images.reduce((sum, image) => sum + image.truthIgnored.filter((flag) => !flag).length, 0);
      if (positives === 0) continue;
      MAX_DETECTIONS.forEach((maxDet, m) => {
        // Every image's best maxDet detections, pooled and ranked by score (stable: image order breaks ties).
        const pooled = images.flatMap((image) => image.scores.slice(0, maxDet).map((score, d) => ({ image, d, score })));
        const ranked = stableSortByScore(pooled);
        for (let t = 0; t < T; t++) {
          const { recalls, precisions } = precisionRecall(ranked, t, positives);
          recall[((t * K + k) * A + a) * M + m] = recalls.length ? recalls[recalls.length - 1] : 0;
          interpolatedPrecision(recalls, precisions).forEach((value, r) => {
            precision[(((t * R + r) * K + k) * A + a) * M + m] = value;
          });
        }
      });
    }
  }
  return { precision, recall };
}

function precisionRecall(
  ranked: { image: ImageEvaluation; d: number }[],
  t: number,
  positives: number,
): { recalls: number[]; precisions: number[] } {
  const recalls: number[] = [];
  const precisions: number[] = [];
  let tp = 0;
  let fp = 0;
  for (const { image, d } of ranked) {
    if (!image.ignored[t][d]) {
      if (image.matched[t][d]) tp++;
      else fp++;
    }
    recalls.push(tp / positives);
    precisions.push(tp / (fp + tp + Number.EPSILON)); // np.spacing(1)
  }
  return { recalls, precisions };
}

/** Precision at each of the 101 recall thresholds: the envelope at the first rank reaching it, 0 past the end. */
function interpolatedPrecision(recalls: number[], precisions: number[]): number[] {
  const envelope = [...precisions];
  for (let i = envelope.length - 1; i > 0; i--) if (envelope[i] > envelope[i - 1]) envelope[i - 1] = envelope[i];
  let rank = 0;
  return RECALL_THRESHOLDS.map((threshold) => {
    while (rank < recalls.length && recalls[rank] < threshold) rank++; // np.searchsorted(side='left')
    return rank < recalls.length ? envelope[rank] : 0;
  });
}

const SUMMARY_LINES: { key: keyof CocoSummary; ap: boolean; iou?: number; area: keyof typeof AREA_RANGES; maxDets: number }[] = [
  { key: 'AP', ap: true, area: 'all', maxDets: 100 },
  { key: 'AP50', ap: true, iou: 0.5, area: 'all', maxDets: 100 },
  { key: 'AP75', ap: true, iou: 0.75, area: 'all', maxDets: 100 },
  { key: 'APs', ap: true, area: 'small', maxDets: 100 },
  { key: 'APm', ap: true, area: 'medium', maxDets: 100 },
  { key: 'APl', ap: true, area: 'large', maxDets: 100 },
  { key: 'AR1', ap: false, area: 'all', maxDets: 1 },
  { key: 'AR10', ap: false, area: 'all', maxDets: 10 },
  { key: 'AR100', ap: false, area: 'all', maxDets: 100 },
  { key: 'ARs', ap: false, area: 'small', maxDets: 100 },
  { key: 'ARm', ap: false, area: 'medium', maxDets: 100 },
  { key: 'ARl', ap: false, area: 'large', maxDets: 100 },
];

/** The 12 lines COCOeval.summarize() prints, character for character. */
export function formatCocoSummary(summary: CocoSummary): string[] {
  return SUMMARY_LINES.map(({ key, ap, iou, area, maxDets }) => {
    const title = (ap ? 'Average Precision' : 'Average Recall').padEnd(18);
    const iouText = (iou === undefined ? '0.50:0.95' : iou.toFixed(2)).padEnd(9);
    return ` ${title} ${ap ? '(AP)' : '(AR)'} @[ IoU=${iouText} | area=${area.padStart(6)} | maxDets=${String(maxDets).padStart(3)} ] = ${summary[key].toFixed(3)}`;
  });
}
