import * as fs from 'fs';
import * as path from 'path';
import { evaluateCoco, formatCocoSummary, CocoSummary } from '../src/detection/coco-eval';
import type { CocoAnnotation, CocoInstances, CocoResult } from '../src/detection/coco-format';

const SUMMARY_KEYS: (keyof CocoSummary)[] = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'];

/** Ground truth on 200x200 images with one category (id 3) unless a test adds more. */
function truthOf(annotations: Partial<CocoAnnotation>[], imageCount = 1): CocoInstances {
  return {
    images: Array.from({ length: imageCount }, (_, i) => ({ id: i + 1, file_name: `${i + 1}.jpg`, width: 200, height: 200 })),
    categories: [{ id: 3, name: 'thing' }],
    annotations: annotations.map((annotation, i) => ({
      id: i + 1,
      image_id: 1,
      category_id: 3,
      bbox: [0, 0, 10, 10],
      iscrowd: 0,
      ...annotation,
    })),
  };
}

/** Precision is tp / (tp + fp + eps) as in pycocotools, so a perfect AP is 1 - 1e-16: compare to 12 digits. */
function expectSummary(summary: CocoSummary, expected: Partial<CocoSummary>): void {
  for (const [key, value] of Object.entries(expected))
    expect([key, summary[key as keyof CocoSummary]]).toEqual([key, expect.closeTo(value, 12)]);
}

function detection(bbox: [number, number, number, number], score: number, image_id = 1): CocoResult {
  return { image_id, category_id: 3, bbox, score };
}

describe('COCO evaluation (pycocotools COCOeval, bbox)', () => {
  test('perfect detections give 1 everywhere ground truth exists, -1 elsewhere', () => {
    // A 10x10 box (small) and a 50x50 box (medium); no large ground truth, so APl and ARl are undefined.
    const truth = truthOf([{ bbox: [0, 0, 10, 10] }, { bbox: [100, 100, 50, 50] }]);
    const { summary } = evaluateCoco(truth, [detection([0, 0, 10, 10], 0.9), detection([100, 100, 50, 50], 0.8)]);
    expectSummary(summary, { AP: 1, AP50: 1, AP75: 1, APs: 1, APm: 1, APl: -1, AR1: 0.5, AR10: 1, AR100: 1, ARs: 1, ARm: 1, ARl: -1 });
  });

  test('no detections give 0', () => {
    const { summary } = evaluateCoco(truthOf([{ bbox: [0, 0, 40, 40] }]), []);
    expect(summary).toMatchObject({ AP: 0, AP50: 0, AR100: 0, APm: 0, APs: -1 });
  });

  test('a false positive ranked first: precision 1/2 at every recall threshold', () => {
    // 1 ground-truth box; detections FP(0.9), TP(0.8): at rank 2 recall = 1 and precision = 1/2, so all 101
    // interpolated precisions are 0.5 at every IoU threshold (the TP is exact).
    const truth = truthOf([{ bbox: [0, 0, 40, 40] }]);
    const { summary } = evaluateCoco(truth, [detection([100, 100, 40, 40], 0.9), detection([0, 0, 40, 40], 0.8)]);
    expect(summary.AP).toBeCloseTo(0.5, 12);
    expect(summary.AR1).toBe(0); // with one detection per image only the false positive counts
    expect(summary.AR10).toBe(1);
  });

  test('AP over IoU thresholds counts only the thresholds a detection reaches', () => {
    // GT 10x10 at 0; detection 10x8 at 0 has IoU 0.8 exactly: a TP at 0.5..0.8 (7 thresholds), missed at 0.85..0.95.
    const { summary } = evaluateCoco(truthOf([{ bbox: [0, 0, 10, 10] }]), [detection([0, 0, 10, 8], 0.5)]);
    expect(summary.AP).toBeCloseTo(7 / 10, 12);
    expect(summary.AP75).toBeCloseTo(1, 12);
    expect(summary.AR100).toBeCloseTo(0.7, 12);
  });

  test('IoU exactly at a threshold matches (>=), unlike VOC (>)', () => {
    // GT 10x10, detection 10x5: IoU = 50/100 = 0.5.
    const { summary } = evaluateCoco(truthOf([{ bbox: [0, 0, 10, 10] }]), [detection([0, 0, 10, 5], 0.5)]);
    expect(summary.AP50).toBeCloseTo(1, 12);
    expect(summary.AP75).toBe(0);
  });

  test('crowd ground truth is ignored and absorbs detections by intersection over detection area', () => {
    // A crowd region 100x100 at 0, one regular box at (150, 150). Detections inside the crowd region
    // (IoU = intersection / detection area = 1) are neither TP nor FP, however many there are.
    const truth = truthOf([{ bbox: [0, 0, 100, 100], iscrowd: 1 }, { bbox: [150, 150, 20, 20] }]);
    const inCrowd = [detection([10, 10, 20, 20], 0.95), detection([50, 50, 20, 20], 0.94), detection([70, 10, 5, 5], 0.93)];
    const { summary } = evaluateCoco(truth, [...inCrowd, detection([150, 150, 20, 20], 0.5)]);
    expect(summary.AP).toBeCloseTo(1, 12);
    // Without the crowd flag the region is one box: the three detections are false positives ranked first.
    const plain = truthOf([{ bbox: [0, 0, 100, 100] }, { bbox: [150, 150, 20, 20] }]);
    expect(evaluateCoco(plain, [...inCrowd, detection([150, 150, 20, 20], 0.5)]).summary.AP).toBeLessThan(0.5);
  });

  test('area ranges use the annotation area and ignore detections outside the range', () => {
    // Box 40x40 (medium by box) but area 900 < 32^2: small. A detection of it counts for APs; an unmatched
    // detection of area 60x60 = 3600 (medium) is ignored in the small range, so APs stays 1.
    const truth = truthOf([{ bbox: [0, 0, 40, 40], area: 900 }]);
    const { summary } = evaluateCoco(truth, [detection([120, 120, 60, 60], 0.9), detection([0, 0, 40, 40], 0.8)]);
    expect(summary.APs).toBeCloseTo(1, 12);
    expect(summary.APm).toBe(-1);
    expect(summary.AP).toBeCloseTo(0.5, 12);
  });

  test('maxDets keeps only the highest-scoring detections per image and category', () => {
    // 12 ground-truth boxes in one image, 12 exact detections; the one with the lowest score is 12th, so it
    // falls outside maxDets=10 together with the 11th: AR10 = 10/12, AR100 = 1, AR1 = 1/12.
    const boxes = Array.from({ length: 12 }, (_, i): [number, number, number, number] => [i * 15, 0, 10, 10]);
    const truth = truthOf(boxes.map((bbox) => ({ bbox })));
    const { summary } = evaluateCoco(
      truth,
      boxes.map((bbox, i) => detection(bbox, 1 - i / 100)),
    );
    expect(summary.AR1).toBeCloseTo(1 / 12, 12);
    expect(summary.AR10).toBeCloseTo(10 / 12, 12);
    expect(summary.AR100).toBe(1);
  });

  test('prints the 12 summary lines as pycocotools does', () => {
    const { summary } = evaluateCoco(truthOf([{ bbox: [0, 0, 10, 10] }]), [detection([0, 0, 10, 10], 1)]);
    const lines = formatCocoSummary(summary);
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe(' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000');
    expect(lines[1]).toBe(' Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 1.000');
    expect(lines[5]).toBe(' Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000');
    expect(lines[6]).toBe(' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 1.000');
  });

  test('detections on an image the ground truth lacks are an error naming the image id', () => {
    expect(() => evaluateCoco(truthOf([{}]), [detection([0, 0, 1, 1], 1, 99)])).toThrow(/image_id 99/);
  });

  test('matches pycocotools on random cases (golden numbers from make-coco-golden.py)', () => {
    const cases: { truth: CocoInstances; results: CocoResult[]; stats: number[] }[] = JSON.parse(
      fs.readFileSync(path.join(__dirname, 'fixtures/detection/coco-golden.json'), 'utf8'),
    );
    for (const { truth, results, stats } of cases) {
      const { summary } = evaluateCoco(truth, results);
      expectSummary(summary, Object.fromEntries(SUMMARY_KEYS.map((key, i) => [key, stats[i]])));
    }
  });
});
