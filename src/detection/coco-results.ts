import { writeFileAtomic } from '../io/atomic';
import type { CocoResult } from './coco-format';
import type { ImageDetections } from './types';

/**
 * Detections in COCO results format: `[x, y, w, h]` boxes and COCO category ids (`categoryIds[label]`),
 * what `acaf detection eval --dt` and the official evaluation server read.
 */
export function toCocoResults(detections: ImageDetections[], categoryIds: number[]): CocoResult[] {
  return detections.flatMap(({ imageId, boxes, scores, labels }) =>
    Array.from(labels, (label, i): CocoResult => {
      const [x1, y1, x2, y2] = boxes.subarray(4 * i, 4 * i + 4);
      return {
        image_id: imageId,
        category_id: categoryIds[label],
        bbox: [x1, y1, x2 - x1, y2 - y1].map(roundTo2) as CocoResult['bbox'],
        score: roundTo5(scores[i]),
      };
    }),
  );
}

/** Writes `detections.json` atomically (temp file + rename), as every run file is written. */
export function writeCocoResults(file: string, results: CocoResult[]): void {
  writeFileAtomic(file, JSON.stringify(results));
}

// Float32 values printed in full carry noise digits; 0.01 px and 1e-5 in score are far below what AP can resolve.
const roundTo2 = (value: number) => Math.round(value * 100) / 100;
const roundTo5 = (value: number) => Math.round(value * 1e5) / 1e5;
