import type * as tf from '@tensorflow/tfjs';
import type { ActivationProvider } from '../../builders/activations/types';
import type { AnchorSize } from './anchors';

/** `model.head` options of a detection config: `type` plus the head's own options. */
export interface HeadOptions {
  type: string;
  [option: string]: unknown;
}

/** What a head is built on: the backbone's feature maps (finest first) and the task's shape. */
export interface HeadBuildContext {
  /** Backbone feature maps, NHWC, ordered from the finest (largest) to the coarsest. */
  features: tf.SymbolicTensor[];
  /** [height, width] of the network input. */
  inputSize: [number, number];
  numClasses: number;
  /** The configured activations; head call sites are named `head.p<level>.act<n>` so placement rules reach them. */
  activation: ActivationProvider;
}

/**
 * Ground truth of one batch, in input pixels (`[x1, y1, x2, y2]` continuous coordinates, see ../types.ts):
 * per image 4 * count box coordinates and count class indices.
 */
export interface GroundTruthBatch {
  boxes: Float32Array[];
  labels: Int32Array[];
}

/** The terms of a head's loss for one batch, each already weighted; `total` is their sum. */
export interface LossTerms {
  total: tf.Scalar;
  box: tf.Scalar;
  objectness: tf.Scalar;
  classification: tf.Scalar;
}

/** Final detections of one image in input pixels, sorted by score (highest first). */
export interface BoxPredictions {
  /** 4 * count floats: x1, y1, x2, y2. */
  boxes: Float32Array;
  scores: Float32Array;
  labels: Int32Array;
}

/** One feature level of a built head. */
export interface HeadLevel {
  /** The level's name in the head's layer names (`p3` for stride 8). */
  name: string;
  /** [height, width] cells. */
  grid: [number, number];
  /** [y, x] input pixels per cell. */
  stride: [number, number];
  anchors: AnchorSize[];
  /** Predictions of the level (cells x anchors) and the values of each. */
  predictions: number;
  valuesPerPrediction: number;
}

/**
 * A built head: one symbolic output holding every prediction of the image, plus the loss on it and its decoding.
 * The detection model is `tf.model({ inputs, outputs: head.output })`, so `loss` and `decode` take that model's
 * output tensor.
 */
export interface DetectionHead {
  output: tf.SymbolicTensor;
  /** What the head predicts at each feature level, finest first (for `acaf summary`). */
  levels: HeadLevel[];
  /** The weighted loss terms of a batch (inside `optimizer.minimize`: differentiable w.r.t. `predictions`). */
  loss(predictions: tf.Tensor, truth: GroundTruthBatch): LossTerms;
  /** Boxes after score thresholding and per-class non-maximum suppression, one entry per image. */
  decode(predictions: tf.Tensor): BoxPredictions[];
}
