import * as tf from '@tensorflow/tfjs';
import { batchNormGradient, batchNormTraining } from 'tfjs-wasm-training';

/** Receives a training batch's per-channel mean and (biased) variance, e.g. to update moving averages. */
export type StatisticsSink = (mean: tf.Tensor1D, variance: tf.Tensor1D) => void;

/**
 * Training-mode batch normalisation over every axis but the last, with its gradient written out by hand.
 * Differentiating `tf.moments` + `tf.batchNorm` op by op costs about twenty passes over the activation per layer
 * (tiles, broadcasts, the gradients of both means); here the forward pass and the gradient are one op each
 * (tfjs-wasm-training's batchNormTraining and batchNormGradient: one kernel where the backend fuses them, the
 * package's pass-by-pass ops elsewhere):
 *   dbeta = sum(dy),  dgamma = invStd * sum(dy * (x - mean)),
 *   dx = gamma * invStd * (dy - dbeta / n - (x - mean) * invStd * dgamma / n)   (n values per channel),
 * with invStd = 1 / sqrt(variance + epsilon) from the saved batch variance.
 * The batch statistics go to `onStatistics` while they exist (they carry no gradient).
 */
export function normalizeBatchInTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  onStatistics: StatisticsSink,
): tf.Tensor {
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const { y, mean, variance } = batchNormTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, epsilon);
    onStatistics(mean, variance);
    save([x, mean, variance, gamma]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [x, mean, variance, gamma] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const { dx, dGamma, dBeta } = batchNormGradient(dy, { x, mean, variance, gamma }, epsilon);
        return [dx, dGamma, dBeta];
      },
    };
  });
  return normalize(x, gamma, beta);
}
