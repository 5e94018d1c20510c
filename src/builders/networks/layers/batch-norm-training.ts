import * as tf from '@tensorflow/tfjs';
import { channelMoments, normalizationGradientScales, normalizationGradientSums, normalizationInputGradient } from 'tfjs-wasm-training';

/** Receives a training batch's per-channel mean and (biased) variance, e.g. to update moving averages. */
export type StatisticsSink = (mean: tf.Tensor1D, variance: tf.Tensor1D) => void;

/**
 * Training-mode batch normalisation over every axis but the last, with its gradient written out by hand.
 * Differentiating `tf.moments` + `tf.batchNorm` op by op costs about twenty passes over the activation per layer
 * (tiles, broadcasts, the gradients of both means); this gradient takes six as tfjs ops, two where the backend fuses
 * them (tfjs-wasm-training's normalization-ops), with one kernel there for the per-channel factors between them:
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
    const { mean, variance } = channelMoments(x);
    onStatistics(mean, variance);
    save([x, mean, variance, gamma]);
    return {
      value: tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, epsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [x, mean, variance, gamma] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const perChannel = x.size / x.shape[x.shape.length - 1];
        const [dBeta, dyCenteredSums] = normalizationGradientSums(dy, x, mean);
        const { dGamma, ...scales } = normalizationGradientScales(variance, gamma, dBeta, dyCenteredSums, epsilon, perChannel);
        const dx = normalizationInputGradient(dy, x, { mean, ...scales });
        return [dx, dGamma, dBeta];
      },
    };
  });
  return normalize(x, gamma, beta);
}
