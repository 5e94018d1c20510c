import * as tf from '@tensorflow/tfjs';
import type { DetectionHead } from '../../detection/heads/types';
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

/** One optimiser step on one batch, in training mode (batch-norm statistics updated). */
export function detectionTrainStep(
  model: tf.LayersModel,
  head: DetectionHead,
  optimizer: tf.Optimizer,
  batch: DetectionBatch,
  weightDecay = 0,
): DetectionStepResult {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const trainable = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const decayed = decayedWeights(model);
  const terms = tf.tidy(() => {
    const images = tf.tensor4d(batch.images, [batch.size, height, width, channels]);
    let parts: tf.Scalar[] = [];
    const objective = optimizer.minimize(
      () => {
        const loss = head.loss(model.apply(images, { training: true }) as tf.Tensor, batch.truth);
        parts = [loss.total, loss.box, loss.objectness, loss.classification].map((part) => tf.keep(part));
        return tf.add(loss.total, l2Penalty(decayed, weightDecay)) as tf.Scalar;
      },
      true,
      trainable,
    )!;
    return [objective, ...parts];
  });
  const [objective, total, box, objectness, classification] = terms.map((term) => term.dataSync()[0]);
  tf.dispose(terms);
  return { total, box, objectness, classification, objective };
}
