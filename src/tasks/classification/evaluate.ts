import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../data/pipeline';
import type { EvaluationBatch, Metric } from '../../metrics/types';
import { crossEntropy } from './loss';

export interface Evaluation {
  /** Mean cross-entropy over the evaluated images (no label smoothing). */
  loss: number;
  batch: EvaluationBatch;
}

/** Runs the model in inference mode over every given batch and gathers logits, predictions and the test loss. */
export function evaluate(model: tf.LayersModel, batches: Iterable<ImageBatch>, classes: string[], outputSoftmax = false): Evaluation {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const numClasses = classes.length;
  const logits: Float32Array[] = [];
  const labels: Int32Array[] = [];
  let lossSum = 0;
  for (const batch of batches) {
    const [batchLogits, batchLoss] = tf.tidy(() => {
      // The whole batch in one pass: tfjs would otherwise predict in chunks of 32, and batch statistics at test time
      // (bnTestStatistics: batch) would then normalise each chunk on its own.
      const images = tf.tensor4d(batch.images, [batch.size, height, width, channels]);
      const output = model.predict(images, { batchSize: batch.size }) as tf.Tensor;
      return [
        output.dataSync() as Float32Array,
        crossEntropy(output, tf.tensor1d(batch.labels, 'int32'), numClasses, 0, outputSoftmax).dataSync()[0],
      ] as const;
    });
    logits.push(batchLogits);
    labels.push(batch.labels);
    lossSum += batchLoss * batch.size;
  }
  const all = concat(logits, Float32Array);
  const truth = concat(labels, Int32Array);
  const predictions = new Int32Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    const row = all.subarray(i * numClasses, (i + 1) * numClasses);
    predictions[i] = row.indexOf(Math.max(...row));
  }
  return { loss: truth.length ? lossSum / truth.length : NaN, batch: { labels: truth, predictions, logits: all, numClasses, classes } };
}

function concat<T extends Float32Array | Int32Array>(parts: T[], Type: new (length: number) => T): T {
  const result = new Type(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/** Every metric's columns for one evaluation, merged. */
export function computeMetrics(metrics: Metric[], evaluation: EvaluationBatch): Record<string, number | null> {
  return Object.assign({}, ...metrics.map((metric) => metric.compute(evaluation)));
}
