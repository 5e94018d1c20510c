import * as tf from '@tensorflow/tfjs';

/**
 * Mean softmax cross-entropy of logits (networks output logits: no softmax before this), with label smoothing.
 * `outputSoftmax` feeds softmax(logits) to the from-logits loss: the authors' "double softmax" (model.outputSoftmax).
 */
export function crossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  numClasses: number,
  labelSmoothing = 0,
  outputSoftmax = false,
): tf.Scalar {
  return tf.tidy(() => {
    const inputs = outputSoftmax ? tf.softmax(logits) : logits;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels as tf.Tensor1D, numClasses), inputs, undefined, labelSmoothing) as tf.Scalar;
  });
}
