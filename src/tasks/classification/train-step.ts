import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../data/pipeline';
import { decayedWeights, l2Penalty } from '../weight-decay';
import { crossEntropy } from './loss';

export interface StepSettings {
  numClasses: number;
  labelSmoothing: number;
  weightDecay: number;
  outputSoftmax: boolean;
}

export interface ClassificationStepResult {
  /** Cross-entropy of the batch (the data term; weight decay excluded). */
  loss: number;
  /** The minimised objective: loss plus the L2 penalty; checked for NaN/Inf. */
  objective: number;
  correct: number;
}

/** One optimiser step on one batch, in training mode (dropout on, batch-norm statistics updated). */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: ImageBatch,
  settings: StepSettings,
): ClassificationStepResult {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const trainable = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const decayed = decayedWeights(model);
  const results: tf.Tensor[] = tf.tidy(() => {
    const images = tf.tensor4d(batch.images, [batch.size, height, width, channels]);
    const labels = tf.tensor1d(batch.labels, 'int32');
    let loss: tf.Scalar | undefined;
    let correct: tf.Tensor | undefined;
    const objective = optimizer.minimize(
      () => {
        const logits = model.apply(images, { training: true }) as tf.Tensor;
        loss = tf.keep(crossEntropy(logits, labels, settings.numClasses, settings.labelSmoothing, settings.outputSoftmax));
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')));
        return tf.add(loss, l2Penalty(decayed, settings.weightDecay)) as tf.Scalar;
      },
      true,
      trainable,
    )!;
    return [loss!, objective, correct!];
  });
  const [loss, objective, correct] = results.map((tensor) => tensor.dataSync()[0]);
  tf.dispose(results);
  return { loss, objective, correct };
}
