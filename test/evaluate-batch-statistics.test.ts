import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from '../src/builders/networks/layers/batch-norm';
import { evaluate } from '../src/tasks/classification/evaluate';

const FEATURES = 4;
const IMAGES = 64;
const EPSILON = 1e-3;

/** Batch norm with test-time batch statistics straight on the input: the model's "logits" are the normalised input. */
function batchStatisticsModel(): tf.LayersModel {
  const input = tf.input({ shape: [1, 1, FEATURES] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const normalised = new BatchNorm({ momentum: 0.9, epsilon: EPSILON, testStatistics: 'batch' }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: normalised });
}

/** Per-feature (x - mean) / sqrt(var + eps) over the given rows, in float64: the normalisation the authors' code applies. */
function normalise(values: Float32Array, rows: number): number[] {
  const result = new Array<number>(values.length);
  for (let feature = 0; feature < FEATURES; feature++) {
    const column = Array.from({ length: rows }, (_, row) => values[row * FEATURES + feature]);
    const mean = column.reduce((sum, v) => sum + v, 0) / rows;
    const variance = column.reduce((sum, v) => sum + (v - mean) ** 2, 0) / rows;
    column.forEach((v, row) => (result[row * FEATURES + feature] = (v - mean) / Math.sqrt(variance + EPSILON)));
  }
  return result;
}

test('batch statistics at test time cover the whole 64-image test batch, not two chunks of 32', () => {
  // The two halves have different means, so normalising them separately gives other outputs.
  const images = Float32Array.from({ length: IMAGES * FEATURES }, (_, i) => (i < (IMAGES / 2) * FEATURES ? 0 : 5) + Math.sin(i * 1.7));
  const labels = new Int32Array(IMAGES);
  const { batch } = evaluate(batchStatisticsModel(), [{ images, labels, size: IMAGES }], ['a', 'b', 'c', 'd']);

  const whole = normalise(images, IMAGES);
  const half = IMAGES / 2;
  const halves = [...normalise(images.subarray(0, half * FEATURES), half), ...normalise(images.subarray(half * FEATURES), half)];
  const largestDifference = (expected: number[]) => Math.max(...expected.map((value, i) => Math.abs(value - batch.logits[i])));
  expect(largestDifference(whole)).toBeLessThan(1e-4);
  expect(largestDifference(halves)).toBeGreaterThan(0.5);
});
