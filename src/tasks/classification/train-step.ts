import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../data/pipeline';
import { accumulatedStep } from '../gradient-accumulation';
import { decayedWeights, l2Penalty } from '../weight-decay';
import { crossEntropy } from './loss';

export interface StepSettings {
  numClasses: number;
  labelSmoothing: number;
  weightDecay: number;
  outputSoftmax: boolean;
  /** Micro-batches per step (`train.accumulate`); 1 when absent. */
  accumulate?: number;
}

export interface ClassificationStepResult {
  /** Cross-entropy of the batch (the data term; weight decay excluded). */
  loss: number;
  /** The minimised objective: loss plus the L2 penalty; checked for NaN/Inf. */
  objective: number;
  correct: number;
}

/**
 * One optimiser step on one batch, in training mode (dropout on, batch-norm statistics updated), over
 * `settings.accumulate` micro-batches whose gradients are accumulated (see gradient-accumulation.ts).
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: ImageBatch,
  settings: StepSettings,
): ClassificationStepResult {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const imageSize = height * width * channels;
  const trainable = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const decayed = decayedWeights(model);
  const step = accumulatedStep(
    optimizer,
    trainable,
    batch.size,
    settings.accumulate ?? 1,
    ({ start, end }) => {
      const images = tf.tensor4d(batch.images.subarray(start * imageSize, end * imageSize), [end - start, height, width, channels]);
      const labels = tf.tensor1d(batch.labels.subarray(start, end), 'int32');
      const logits = model.apply(images, { training: true }) as tf.Tensor;
      return {
        loss: crossEntropy(logits, labels, settings.numClasses, settings.labelSmoothing, settings.outputSoftmax),
        tallies: [tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32'))],
      };
    },
    () => l2Penalty(decayed, settings.weightDecay),
  );
  return { loss: step.loss, objective: step.objective, correct: step.tallies[0] };
}
