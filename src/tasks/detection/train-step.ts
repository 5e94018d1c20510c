import * as tf from '@tensorflow/tfjs';
import type { DetectionHead } from '../../detection/heads/types';
import { accumulatedStep } from '../gradient-accumulation';
import { decayedWeights, l2Penalty } from '../weight-decay';
import type { DetectionBatch } from './batches';

/** The loss terms of one step, as numbers. */
export interface DetectionStepResult {
  /** The head's loss (the data term: the weighted sum of the three below). */
  total: number;
  box: number;
  objectness: number;
  classification: number;
  /** The minimised objective: total plus the L2 penalty of `train.weightDecay`. */
  objective: number;
}

/**
 * One optimiser step on one batch, in training mode (batch-norm statistics updated), over `accumulate`
 * micro-batches whose gradients are accumulated. The head's terms are means over the images (sums over each image,
 * divided by the batch size), so each micro-batch's share of a term is its mean weighted by its share of the batch.
 */
export function detectionTrainStep(
  model: tf.LayersModel,
  head: DetectionHead,
  optimizer: tf.Optimizer,
  batch: DetectionBatch,
  weightDecay = 0,
  accumulate = 1,
): DetectionStepResult {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const imageSize = height * width * channels;
  const trainable = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const decayed = decayedWeights(model);
  const step = accumulatedStep(
    optimizer,
    trainable,
    batch.size,
    accumulate,
    ({ start, end }) => {
      const images = tf.tensor4d(batch.images.subarray(start * imageSize, end * imageSize), [end - start, height, width, channels]);
      const truth = { boxes: batch.truth.boxes.slice(start, end), labels: batch.truth.labels.slice(start, end) };
      const loss = head.loss(model.apply(images, { training: true }) as tf.Tensor, truth);
      const share = (end - start) / batch.size;
      // The parts, weighted like the loss, sum to the batch's means.
      const weighted = (part: tf.Scalar) => (share === 1 ? part : tf.mul(part, share));
      return { loss: loss.total, tallies: [loss.box, loss.objectness, loss.classification].map(weighted) };
    },
    () => l2Penalty(decayed, weightDecay),
  );
  const [box, objectness, classification] = step.tallies;
  return { total: step.loss, box, objectness, classification, objective: step.objective };
}
