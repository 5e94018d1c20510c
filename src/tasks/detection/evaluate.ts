import * as tf from '@tensorflow/tfjs';
import { evaluateCoco, CocoSummary } from '../../detection/coco-eval';
import type { CocoInstances, CocoResult } from '../../detection/coco-format';
import { toCocoResults } from '../../detection/coco-results';
import type { DetectionHead } from '../../detection/heads/types';
import { unletterboxBoxes } from '../../detection/letterbox';
import type { DetectionDataset, ImageDetections } from '../../detection/types';
import { evaluateVoc } from '../../detection/voc-eval';
import type { DetectionBatch } from './batches';

/** The detection columns of metrics.csv, all in [0, 1]: VOC all-point and 11-point AP@0.5, then COCO's AP, AP50, AP75. */
export const DETECTION_COLUMNS = ['map50', 'map50_voc07', 'coco_ap', 'coco_ap50', 'coco_ap75'] as const;

export interface DetectionEvaluation {
  row: Record<(typeof DETECTION_COLUMNS)[number], number>;
  /** Per class: name, VOC all-point AP@0.5, COCO AP@[.5:.95] (NaN/-1 where the class has no ground truth). */
  perClass: { name: string; ap50: number; coco_ap: number }[];
  /** Every detection, in the images' own pixels, COCO results format. */
  results: CocoResult[];
  summary: CocoSummary;
}

/** Runs the detector over `batches` and maps its boxes back from the letterboxed input to each image. */
export function detect(model: tf.LayersModel, head: DetectionHead, batches: Iterable<DetectionBatch>): ImageDetections[] {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const detections: ImageDetections[] = [];
  for (const batch of batches) {
    const predictions = tf.tidy(() => model.predict(tf.tensor4d(batch.images, [batch.size, height, width, channels])) as tf.Tensor);
    const decoded = head.decode(predictions);
    predictions.dispose();
    decoded.forEach((found, i) => {
      const { image, transform } = batch.sources[i];
      detections.push({
        imageId: image.id,
        boxes: unletterboxBoxes(found.boxes, transform, image.width, image.height),
        scores: found.scores,
        labels: found.labels,
      });
    });
  }
  return detections;
}

/** The split's ground truth as COCO instances; VOC `difficult` boxes become crowd regions, which COCO evaluation ignores. */
export function cocoGroundTruth(dataset: DetectionDataset): CocoInstances {
  let annotationId = 0;
  return {
    images: dataset.images.map((image) => ({ id: image.id, file_name: image.file, width: image.width, height: image.height })),
    categories: dataset.classes.map((name, label) => ({ id: dataset.categoryIds[label], name })),
    annotations: dataset.images.flatMap((image) =>
      Array.from(image.labels, (label, i) => {
        const [x1, y1, x2, y2] = image.boxes.subarray(4 * i, 4 * i + 4);
        return {
          id: ++annotationId,
          image_id: image.id,
          category_id: dataset.categoryIds[label],
          bbox: [x1, y1, x2 - x1, y2 - y1] as [number, number, number, number],
          area: (x2 - x1) * (y2 - y1),
          iscrowd: image.crowd[i] || image.difficult[i] ? 1 : 0,
        };
      }),
    ),
  };
}

/** VOC and COCO numbers of `detections` on `dataset`. */
export function scoreDetections(dataset: DetectionDataset, detections: ImageDetections[]): DetectionEvaluation {
  const classCount = dataset.classes.length;
  const voc = evaluateVoc(dataset.images, detections, classCount, { metric: 'voc2010' });
  const voc07 = evaluateVoc(dataset.images, detections, classCount, { metric: 'voc07' });
  const results = toCocoResults(detections, dataset.categoryIds);
  const coco = evaluateCoco(cocoGroundTruth(dataset), results);
  const cocoApOf = new Map(coco.perCategory.map((category) => [category.categoryId, category.AP]));
  return {
    row: { map50: voc.mAP, map50_voc07: voc07.mAP, coco_ap: coco.summary.AP, coco_ap50: coco.summary.AP50, coco_ap75: coco.summary.AP75 },
    perClass: dataset.classes.map((name, label) => ({
      name,
      ap50: voc.ap[label],
      coco_ap: cocoApOf.get(dataset.categoryIds[label]) ?? -1,
    })),
    results,
    summary: coco.summary,
  };
}
