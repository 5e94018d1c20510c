import { boxIou } from '../boxes';
import type { BoxPredictions } from './types';

export interface NmsSettings {
  /** Candidates scoring at or below this are dropped before suppression. */
  scoreThreshold: number;
  /** A candidate overlapping a kept box of its class by more than this IoU is suppressed. */
  iouThreshold: number;
  /** Most boxes kept per image (the highest-scoring survivors). */
  maxDetections: number;
}

/**
 * Greedy per-class non-maximum suppression over one image. `boxes` holds 4 * n coordinates and `scores` n * C
 * class scores (prediction-major); a prediction may survive for several classes. Candidates are visited by
 * decreasing score and kept unless a kept box of the same class overlaps them too much, so the result is sorted
 * and stops at `maxDetections`.
 */
export function perClassNms(boxes: Float32Array, scores: Float32Array, numClasses: number, settings: NmsSettings): BoxPredictions {
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > settings.scoreThreshold) candidates.push(i);
  // Stable sort: equal scores keep prediction order, so results are deterministic.
  candidates.sort((a, b) => scores[b] - scores[a]);

  const keptByClass: number[][] = Array.from({ length: numClasses }, () => []);
  const kept: number[] = [];
  for (const candidate of candidates) {
    if (kept.length >= settings.maxDetections) break;
    const prediction = Math.floor(candidate / numClasses);
    const sameClass = keptByClass[candidate % numClasses];
    if (sameClass.some((other) => boxIou(boxes, prediction, boxes, other) > settings.iouThreshold)) continue;
    sameClass.push(prediction);
    kept.push(candidate);
  }

  const result: BoxPredictions = {
    boxes: new Float32Array(4 * kept.length),
    scores: new Float32Array(kept.length),
    labels: new Int32Array(kept.length),
  };
  kept.forEach((candidate, k) => {
    const prediction = Math.floor(candidate / numClasses);
    result.boxes.set(boxes.subarray(4 * prediction, 4 * prediction + 4), 4 * k);
    result.scores[k] = scores[candidate];
    result.labels[k] = candidate % numClasses;
  });
  return result;
}
