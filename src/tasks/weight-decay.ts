import * as tf from '@tensorflow/tfjs';

/**
 * The weights `train.weightDecay` applies to: conv and dense kernels (names ending in `kernel`, which covers
 * depthwise/pointwise kernels too; tfjs may suffix `name` with a counter, not `originalName`). Biases, batch-norm parameters and activation parameters are not decayed,
 * as in the paper's code, where the adaptive parameters get no weight decay.
 */
export function decayedWeights(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.filter((weight) => /kernel$/.test(weight.originalName)).map((weight) => weight.read() as tf.Variable);
}

/** weightDecay * sum(w^2) / 2 over `weights` (TensorFlow's `l2_loss` convention: gradient weightDecay * w). */
export function l2Penalty(weights: tf.Variable[], weightDecay: number): tf.Scalar {
  return tf.tidy(() => {
    if (weightDecay === 0 || weights.length === 0) return tf.scalar(0);
    return tf.mul(tf.addN(weights.map((weight) => tf.sum(tf.square(weight)))), weightDecay / 2) as tf.Scalar;
  });
}
