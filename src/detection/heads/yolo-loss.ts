import * as tf from '@tensorflow/tfjs';
import type { AnchorTable } from './anchors';
import { decodeBoxes, generalizedIou, iou } from './box-tensors';
import type { EncodedTargets } from './yolo-targets';
import type { LossTerms } from './types';

export interface YoloLossSettings {
  /** A prediction that is not assigned a box but overlaps one by more than this is left out of the objectness loss. */
  ignoreThreshold: number;
  weights: { box: number; objectness: number; classification: number };
}

/** Binary cross-entropy on logits, element-wise, in the stable form max(x, 0) - x z + log(1 + e^-|x|). */
function sigmoidCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)), tf.softplus(tf.neg(tf.abs(logits))));
}

/** `f(x)` computed off the gradient tape, as a constant (tfjs has no stopGradient; comparisons have no gradient). */
function withoutGradient(x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const constant = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = inputs[0] as tf.Tensor;
    return { value: f(input), gradFunc: () => tf.zerosLike(input) };
  });
  return constant(x);
}

/**
 * The YOLOv3 loss on raw predictions [B, N, 5 + C], each term summed over the image and averaged over the batch:
 * - box: 1 - GIoU of the decoded box with its assigned box, on assigned predictions. GIoU rather than squared
 *   error on (tx, ty, tw, th): it is scale-invariant, so small and large boxes weigh the same, and it needs no
 *   hand-tuned balance between centre and size terms;
 * - objectness: sigmoid BCE against "assigned", except unassigned predictions whose decoded box already has
 *   IoU > ignoreThreshold with some ground-truth box (they are good boxes, just not the chosen anchor);
 * - classification: per-class sigmoid BCE (YOLOv3's multi-label form) on assigned predictions.
 */
export function yoloLoss(predictions: tf.Tensor, targets: EncodedTargets, table: AnchorTable, settings: YoloLossSettings): LossTerms {
  const { batchSize: b, count: n, numClasses: c, maxBoxes: g } = targets;
  return tf.tidy(() => {
    const positive = tf.tensor2d(targets.positive, [b, n]);
    const objectnessLogits = tf.squeeze(tf.slice(predictions, [0, 0, 4], [-1, -1, 1]), [2]);
    const classLogits = tf.slice(predictions, [0, 0, 5], [-1, -1, c]);
    const boxes = decodeBoxes(predictions, table);

    const giou = generalizedIou(boxes, tf.tensor3d(targets.boxes, [b, n, 4]));
    const box = tf.div(tf.sum(tf.mul(positive, tf.sub(1, giou))), b);

    const truth = tf.tensor3d(targets.truth, [b, g, 4]).expandDims(1);
    const valid = tf.tensor2d(targets.truthValid, [b, g]).expandDims(1);
    const ignored = withoutGradient(boxes, (predicted) => {
      const overlaps = tf.mul(iou(predicted.expandDims(2), truth), valid);
      return tf.cast(tf.greater(tf.max(overlaps, 2), settings.ignoreThreshold), 'float32');
    });
    const counted = tf.add(positive, tf.mul(tf.sub(1, positive), tf.sub(1, ignored)));
    const objectness = tf.div(tf.sum(tf.mul(counted, sigmoidCrossEntropy(objectnessLogits, positive))), b);

    const classLoss = tf.sum(sigmoidCrossEntropy(classLogits, tf.tensor3d(targets.classes, [b, n, c])), 2);
    const classification = tf.div(tf.sum(tf.mul(positive, classLoss)), b);

    const weighted = {
      box: tf.mul(box, settings.weights.box) as tf.Scalar,
      objectness: tf.mul(objectness, settings.weights.objectness) as tf.Scalar,
      classification: tf.mul(classification, settings.weights.classification) as tf.Scalar,
    };
    return { ...weighted, total: tf.addN([weighted.box, weighted.objectness, weighted.classification]) as tf.Scalar };
  });
}
