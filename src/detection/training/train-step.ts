import * as tf from '@tensorflow/tfjs';
import type { DetectionHead } from '../heads/types';
import type { DetectionBatch } from './batches';

/** The loss terms of one step, as numbers. */
export interface DetectionStepResult {
  total: number;
  box: number;
  objectness: number;
  classification: number;
}

/** One optimiser step on one batch, in training mode (batch-norm statistics updated). */
export function detectionTrainStep(model: tf.LayersModel, head: DetectionHead, optimizer: tf.Optimizer, batch: DetectionBatch): DetectionStepResult {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const trainable = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const terms = tf.tidy(() => {
    const images = tf.tensor4d(batch.images, [batch.size, height, width, channels]);
    let parts: tf.Scalar[] = [];
    const total = optimizer.minimize(
      () => {
        const loss = head.loss(model.apply(images, { training: true }) as tf.Tensor, batch.truth);
        parts = [loss.box, loss.objectness, loss.classification].map((part) => tf.keep(part));
        return loss.total;
      },
      true,
      trainable,
    )!;
    return [total, ...parts];
  });
  const [total, box, objectness, classification] = terms.map((term) => term.dataSync()[0]);
  tf.dispose(terms);
  return { total, box, objectness, classification };
}
