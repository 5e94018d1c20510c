import { evaluateVoc, VocGroundTruth } from '../src/detection/voc-eval';
import type { ImageDetections } from '../src/detection/types';

type Box = [number, number, number, number];

function truth(id: number, objects: { box: Box; label?: number; difficult?: boolean }[]): VocGroundTruth {
  return {
    id,
    boxes: Float32Array.from(objects.flatMap((object) => object.box)),
    labels: Int32Array.from(objects.map((object) => object.label ?? 0)),
    difficult: Uint8Array.from(objects.map((object) => Number(object.difficult ?? false))),
  };
}

function detections(imageId: number, items: { box: Box; score: number; label?: number }[]): ImageDetections {
  return {
    imageId,
    boxes: Float32Array.from(items.flatMap((item) => item.box)),
    scores: Float32Array.from(items.map((item) => item.score)),
    labels: Int32Array.from(items.map((item) => item.label ?? 0)),
  };
}

const A: Box = [0, 0, 10, 10];
const B: Box = [20, 20, 30, 30];
const FAR: Box = [50, 50, 60, 60];

describe('VOC evaluation (devkit / voc_eval.py)', () => {
  test.each(['voc07', 'voc2010'] as const)('%s: perfect detections give 1, none give 0', (metric) => {
    const gt = [truth(1, [{ box: A }, { box: B }])];
    expect(
      evaluateVoc(
        gt,
        [
          detections(1, [
            { box: A, score: 0.9 },
            { box: B, score: 0.8 },
          ]),
        ],
        1,
        { metric },
      ).mAP,
    ).toBeCloseTo(1, 12);
    expect(evaluateVoc(gt, [], 1, { metric }).mAP).toBe(0);
  });

  test.each(['voc07', 'voc2010'] as const)('%s: one false positive ranked first gives 1/2', (metric) => {
    // 1 GT; ranked [FP 0.9, TP 0.8]: recall [0, 1], precision [0, 1/2].
    // all-point: envelope 1/2 over recall 0..1 -> 1/2. 11-point: best precision at recall >= t is 1/2 for all 11 t -> 1/2.
    const result = evaluateVoc(
      [truth(1, [{ box: A }])],
      [
        detections(1, [
          { box: FAR, score: 0.9 },
          { box: A, score: 0.8 },
        ]),
      ],
      1,
      { metric },
    );
    expect(result.ap[0]).toBeCloseTo(0.5, 12);
  });

  test('the two metrics differ as the textbook says: TP, FP, TP on 2 GT', () => {
    // Ranked [TP 0.9, FP 0.8, TP 0.7]: recall [1/2, 1/2, 1], precision [1, 1/2, 2/3].
    // all-point: 1/2 * 1 + 1/2 * 2/3 = 5/6.
    // 11-point: t = 0 .. 0.5 (6 points) best precision 1; t = 0.6 .. 1 (5 points) 2/3 -> (6 + 5 * 2/3) / 11 = 28/33.
    const gt = [truth(1, [{ box: A }, { box: B }])];
    const dets = [
      detections(1, [
        { box: A, score: 0.9 },
        { box: FAR, score: 0.8 },
        { box: B, score: 0.7 },
      ]),
    ];
    expect(evaluateVoc(gt, dets, 1, { metric: 'voc2010' }).ap[0]).toBeCloseTo(5 / 6, 12);
    expect(evaluateVoc(gt, dets, 1, { metric: 'voc07' }).ap[0]).toBeCloseTo(28 / 33, 12);
  });

  test('difficult boxes are neither true nor false positives and not counted as positives', () => {
    // Without the difficult box: one GT, detected -> 1. The detection on the difficult box (ranked first) is ignored.
    const gt = [truth(1, [{ box: A }, { box: B, difficult: true }])];
    const dets = [
      detections(1, [
        { box: B, score: 0.95 },
        { box: A, score: 0.5 },
      ]),
    ];
    expect(evaluateVoc(gt, dets, 1, { metric: 'voc2010' }).ap[0]).toBeCloseTo(1, 12);
    // Not detecting the difficult box costs nothing either.
    expect(evaluateVoc(gt, [detections(1, [{ box: A, score: 0.5 }])], 1, { metric: 'voc07' }).ap[0]).toBeCloseTo(1, 12);
  });

  test('a duplicate detection is a false positive; IoU must exceed 0.5 strictly', () => {
    // Ranked [TP 0.9, duplicate 0.8, TP 0.7] on 2 GT: the duplicate is a false positive, so the numbers are the
    // textbook case's: 5/6 (were it ignored, AP would be 1).
    const two = [truth(1, [{ box: A }, { box: B }])];
    const dets = [
      detections(1, [
        { box: A, score: 0.9 },
        { box: A, score: 0.8 },
        { box: B, score: 0.7 },
      ]),
    ];
    expect(evaluateVoc(two, dets, 1, { metric: 'voc2010' }).ap[0]).toBeCloseTo(5 / 6, 12);
    // IoU exactly 0.5 is a miss in VOC. In the devkit's XML coordinates these are (1,1,10,10) and (1,1,10,5):
    // iw = 10 - 1 + 1 = 10, ih = 5, areas 100 and 50 -> 50 / 100; the same value as here (types.ts).
    const gt = [truth(1, [{ box: A }])];
    expect(evaluateVoc(gt, [detections(1, [{ box: [0, 0, 10, 5], score: 0.9 }])], 1, { metric: 'voc2010' }).ap[0]).toBe(0);
  });

  test('classes and images are evaluated separately; a class without ground truth is NaN and left out of mAP', () => {
    const gt = [truth(1, [{ box: A, label: 0 }]), truth(2, [{ box: A, label: 1 }])];
    // Class 0 found in image 1; class 1's detection is in the wrong image (a false positive), so class 1 AP = 0.
    const dets = [
      detections(1, [
        { box: A, score: 0.9, label: 0 },
        { box: A, score: 0.8, label: 1 },
      ]),
    ];
    const result = evaluateVoc(gt, dets, 3, { metric: 'voc2010' });
    expect(result.ap[0]).toBeCloseTo(1, 12);
    expect(result.ap[1]).toBe(0);
    expect(result.ap[2]).toBeNaN();
    expect(result.mAP).toBeCloseTo(0.5, 12);
  });
});
