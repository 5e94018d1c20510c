import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { anchorTable } from '../src/detection/heads/anchors';
import { generalizedIou, iou } from '../src/detection/heads/box-tensors';
import { yoloLoss } from '../src/detection/heads/yolo-loss';
import { encodeTargets } from '../src/detection/heads/yolo-targets';

/** The YOLO loss and (G)IoU against values worked out by hand (the arithmetic is in the comments). */

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

const values = (tensor: tf.Tensor) => Array.from(tensor.dataSync());

describe('IoU and GIoU of hand-drawn boxes', () => {
  const cases: { a: number[]; b: number[]; iou: number; giou: number; why: string }[] = [
    // intersection 1, union 4 + 4 - 1 = 7, enclosing 3 x 3 = 9: GIoU = 1/7 - (9 - 7)/9
    { a: [0, 0, 2, 2], b: [1, 1, 3, 3], iou: 1 / 7, giou: 1 / 7 - 2 / 9, why: 'overlapping corners' },
    { a: [1, 2, 5, 3], b: [1, 2, 5, 3], iou: 1, giou: 1, why: 'identical' },
    // no intersection, union 2, enclosing 3 x 1: GIoU = 0 - (3 - 2)/3
    { a: [0, 0, 1, 1], b: [2, 0, 3, 1], iou: 0, giou: -1 / 3, why: 'disjoint' },
    // b inside a: IoU 4/16, the enclosing box is a itself, so GIoU = IoU
    { a: [0, 0, 4, 4], b: [1, 1, 3, 3], iou: 0.25, giou: 0.25, why: 'nested' },
    // far apart: enclosing 101 x 1 = 101, union 2: GIoU = -(99/101), near -1
    { a: [0, 0, 1, 1], b: [100, 0, 101, 1], iou: 0, giou: -99 / 101, why: 'far apart' },
  ];
  test.each(cases)('$why', ({ a, b, iou: expectedIou, giou }) => {
    const [boxA, boxB] = [tf.tensor2d([a]), tf.tensor2d([b])];
    expect(values(iou(boxA, boxB))[0]).toBeCloseTo(expectedIou, 6);
    expect(values(generalizedIou(boxA, boxB))[0]).toBeCloseTo(giou, 6);
    tf.dispose([boxA, boxB]);
  });

  test('pairwise by broadcasting: [1, 2, 1, 4] with [1, 1, 2, 4] gives the 2 x 2 table', () => {
    const a = tf.tensor4d([...cases[0].a, ...cases[2].a], [1, 2, 1, 4]);
    const b = tf.tensor4d([...cases[0].b, ...cases[2].b], [1, 1, 2, 4]);
    // [0,0,2,2] vs [2,0,3,1]: touching at x = 2, so intersection 0, union 5, enclosing 3 x 2 = 6: GIoU = -1/6.
    // [0,0,1,1] vs [1,1,3,3]: touching at a corner, union 5, enclosing 9: GIoU = -4/9.
    const expected = [1 / 7 - 2 / 9, -1 / 6, -4 / 9, -1 / 3];
    values(generalizedIou(a, b)).forEach((value, k) => expect(value).toBeCloseTo(expected[k], 6));
    tf.dispose([a, b]);
  });
});

describe('YOLO loss on a 2x2 grid worked by hand', () => {
  // Input 16x16, one level of 2x2 cells (stride 8), one 8x8 anchor: prediction k is cell (x, y) = (k % 2, k / 2 | 0).
  const table = anchorTable([[2, 2]], [[[8, 8]]], [16, 16]);
  // Image 1: one box of class 0 filling cell (0, 0). Image 2: no boxes.
  const truth = { boxes: [Float32Array.from([0, 0, 8, 8]), new Float32Array(0)], labels: [Int32Array.from([0]), new Int32Array(0)] };
  const LN2 = Math.log(2);
  // Per prediction: tx, ty, tw, th, objectness logit, two class logits.
  const image1 = [
    // assigned: centre (0 + sigmoid(0)) * 8 = 4, width 8 e^ln2 = 16, height 8: box [-4, 0, 12, 8]; against [0, 0, 8, 8]
    // intersection 64, union 128 + 64 - 64 = 128 (IoU 1/2), enclosing 16 x 8 = 128 = union: GIoU 1/2, box loss 1/2.
    [0, 0, LN2, 0, 0, 1, -1],
    // cell (1, 0): box [8, 0, 16, 8], IoU 0 with the truth: objectness counts, label 0. Class logits must not count.
    [0, 0, 0, 0, 2, 5, 5],
    // cell (0, 1): box [0, 8, 8, 16], IoU 0: objectness counts.
    [0, 0, 0, 0, -1, 5, 5],
    // cell (1, 1): box 16x16 at (12, 12) = [4, 4, 20, 20]; IoU with the truth 16 / 304 = 0.0526, above the 0.05
    // ignore threshold used here: left out of the objectness loss (it would add softplus(3) = 3.05).
    [0, 0, LN2, LN2, 3, 5, 5],
  ];
  // Image 2: nothing assigned, every objectness logit -20: softplus(-20) = 2e-9 each.
  const image2 = Array.from({ length: 4 }, () => [0, 0, 0, 0, -20, 5, 5]);
  const softplus = (x: number) => Math.log1p(Math.exp(x));

  test('box, objectness and classification terms, weighted and averaged over the batch of 2', () => {
    const predictions = tf.tensor3d([image1, image2]);
    const weights = { box: 2, objectness: 1, classification: 0.5 };
    const loss = yoloLoss(predictions, encodeTargets(truth, table, 2), table, { ignoreThreshold: 0.05, weights });
    // objectness: BCE(0, 1) = ln 2 at the assigned cell; BCE(2, 0) = softplus(2); BCE(-1, 0) = softplus(-1).
    const objectness = (LN2 + softplus(2) + softplus(-1) + 4 * softplus(-20)) / 2;
    // classification at the assigned cell only: BCE(1, 1) + BCE(-1, 0) = 2 softplus(-1).
    const classification = (2 * softplus(-1)) / 2;
    const box = 0.5 / 2;
    expect(values(loss.box)[0]).toBeCloseTo(weights.box * box, 5);
    expect(values(loss.objectness)[0]).toBeCloseTo(weights.objectness * objectness, 5);
    expect(values(loss.classification)[0]).toBeCloseTo(weights.classification * classification, 5);
    expect(values(loss.total)[0]).toBeCloseTo(weights.box * box + objectness + weights.classification * classification, 5);
    tf.dispose([predictions, ...Object.values(loss)]);
  });

  test('a higher ignore threshold counts the overlapping prediction', () => {
    const predictions = tf.tensor3d([image1, image2]);
    const loss = yoloLoss(predictions, encodeTargets(truth, table, 2), table, {
      ignoreThreshold: 0.06,
      weights: { box: 1, objectness: 1, classification: 1 },
    });
    expect(values(loss.objectness)[0]).toBeCloseTo((LN2 + softplus(2) + softplus(-1) + softplus(3) + 4 * softplus(-20)) / 2, 5);
    tf.dispose([predictions, ...Object.values(loss)]);
  });
});

describe('assignment above a shape-IoU threshold', () => {
  // One 4x4 grid (stride 4 at 16x16) with anchors 8x8 and 12x12. A 10x10 box centred at (6, 6), cell (1, 1):
  // shape IoU with 8x8 is 64/100 = 0.64, with 12x12 it is 100/144 = 0.69 (the best).
  const table = anchorTable(
    [[4, 4]],
    [
      [
        [8, 8],
        [12, 12],
      ],
    ],
    [16, 16],
  );
  const truth = { boxes: [Float32Array.from([1, 1, 11, 11])], labels: [Int32Array.from([0])] };
  const positives = (threshold?: number) =>
    Array.from(encodeTargets(truth, table, 1, threshold).positive)
      .map((value, index) => (value ? index : -1))
      .filter((index) => index >= 0);
  // Prediction index (y * 4 + x) * 2 + anchor: cell (1, 1) holds predictions 10 (8x8) and 11 (12x12).
  test('YOLOv3 (threshold 1): only the best anchor', () => expect(positives()).toEqual([11]));
  test('threshold 0.6: both anchors, with their own offsets', () => {
    expect(positives(0.6)).toEqual([10, 11]);
    const offsets = encodeTargets(truth, table, 1, 0.6).offsets;
    expect(Array.from(offsets.subarray(40, 44)).map((v) => +v.toFixed(5))).toEqual([
      0.5,
      0.5,
      +Math.log(10 / 8).toFixed(5),
      +Math.log(10 / 8).toFixed(5),
    ]);
  });
  test('threshold 0.65: the 8x8 anchor (0.64) stays out', () => expect(positives(0.65)).toEqual([11]));
});
