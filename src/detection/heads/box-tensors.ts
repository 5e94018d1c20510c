import * as tf from '@tensorflow/tfjs';
import type { AnchorTable } from './anchors';

/**
 * Box arithmetic on tensors whose last axis is `[x1, y1, x2, y2]`; the leading axes broadcast, so the same code
 * gives element-wise IoU ([B, N, 4] with [B, N, 4]) and pairwise IoU ([B, N, 1, 4] with [B, 1, G, 4]).
 */

/** Largest log-scale of a box relative to its anchor (e^4 ~ 55x); keeps exp() finite while training starts. */
export const MAX_LOG_SCALE = 4;

const EPSILON = 1e-9;

function corners(boxes: tf.Tensor): tf.Tensor[] {
  return tf.unstack(boxes, boxes.rank - 1);
}

interface Overlap {
  intersection: tf.Tensor;
  union: tf.Tensor;
  /** Area of the smallest box enclosing both. */
  enclosing: tf.Tensor;
}

function overlap(a: tf.Tensor, b: tf.Tensor): Overlap {
  const [ax1, ay1, ax2, ay2] = corners(a);
  const [bx1, by1, bx2, by2] = corners(b);
  const width = tf.relu(tf.sub(tf.minimum(ax2, bx2), tf.maximum(ax1, bx1)));
  const height = tf.relu(tf.sub(tf.minimum(ay2, by2), tf.maximum(ay1, by1)));
  const intersection = tf.mul(width, height);
  const areaA = tf.mul(tf.relu(tf.sub(ax2, ax1)), tf.relu(tf.sub(ay2, ay1)));
  const areaB = tf.mul(tf.relu(tf.sub(bx2, bx1)), tf.relu(tf.sub(by2, by1)));
  const union = tf.sub(tf.add(areaA, areaB), intersection);
  const enclosing = tf.mul(tf.sub(tf.maximum(ax2, bx2), tf.minimum(ax1, bx1)), tf.sub(tf.maximum(ay2, by2), tf.minimum(ay1, by1)));
  return { intersection, union, enclosing };
}

export function iou(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { intersection, union } = overlap(a, b);
    return tf.div(intersection, tf.add(union, EPSILON));
  });
}

/** Generalised IoU (Rezatofighi et al., 2019): IoU minus the share of the enclosing box covered by neither; in [-1, 1]. */
export function generalizedIou(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { intersection, union, enclosing } = overlap(a, b);
    const iouValue = tf.div(intersection, tf.add(union, EPSILON));
    return tf.sub(iouValue, tf.div(tf.sub(enclosing, union), tf.add(enclosing, EPSILON)));
  });
}

/**
 * Boxes in input pixels from the first four raw outputs (tx, ty, tw, th) of each prediction, YOLOv3's coding:
 * centre = (cell + sigmoid(t_xy)) * stride, size = anchor * exp(t_wh). `raw` is [B, N, >= 4]; returns [B, N, 4].
 */
export function decodeBoxes(raw: tf.Tensor, table: AnchorTable): tf.Tensor {
  return tf.tidy(() => {
    const [tx, ty, tw, th] = tf.unstack(tf.slice(raw, [0, 0, 0], [-1, -1, 4]), 2);
    const centreX = tf.mul(tf.add(tf.sigmoid(tx), tf.tensor1d(table.cellX)), tf.tensor1d(table.strideX));
    const centreY = tf.mul(tf.add(tf.sigmoid(ty), tf.tensor1d(table.cellY)), tf.tensor1d(table.strideY));
    const halfWidth = tf.mul(tf.exp(tf.minimum(tw, MAX_LOG_SCALE)), tf.tensor1d(table.anchorWidth).div(2));
    const halfHeight = tf.mul(tf.exp(tf.minimum(th, MAX_LOG_SCALE)), tf.tensor1d(table.anchorHeight).div(2));
    return tf.stack([tf.sub(centreX, halfWidth), tf.sub(centreY, halfHeight), tf.add(centreX, halfWidth), tf.add(centreY, halfHeight)], 2);
  });
}
