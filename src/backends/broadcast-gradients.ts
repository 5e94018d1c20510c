import * as tf from '@tensorflow/tfjs';

/**
 * Corrected gradients of `Maximum` and `Minimum` for every backend. tfjs-core 4.22's (gradients/Maximum_grad.js,
 * Minimum_grad.js) return dy masked to the broadcast output's shape without summing over the broadcast axes, so
 * `tf.maximum(x, y)` of different shapes fails ("gradient of input 'a' has shape ... which does not match") or,
 * where shapes happen to fit, is wrong. Ties go to `a`, as in tfjs.
 */

/** `gradient` summed over the axes along which `shape` was broadcast, reshaped to `shape`. */
function unbroadcast(gradient: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, gradient.shape);
  return axes.length ? tf.reshape(tf.sum(gradient, axes), shape) : gradient;
}

function selectingGradient(kernelName: string, picksA: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved;
      const mask = () => tf.cast(picksA(a, b), 'float32');
      return {
        a: () => unbroadcast(tf.mul(dy as tf.Tensor, mask()), a.shape),
        b: () => unbroadcast(tf.mul(dy as tf.Tensor, tf.sub(1, mask())), b.shape),
      };
    },
  };
}

export const CORRECTED_GRADIENTS: tf.GradConfig[] = [
  selectingGradient(tf.Maximum, (a, b) => tf.greaterEqual(a, b)),
  selectingGradient(tf.Minimum, (a, b) => tf.lessEqual(a, b)),
];

/** Replaces tfjs's gradients with the corrected ones (unregistering first avoids tfjs's "already registered" warning). */
export function registerCorrectedGradients(): void {
  for (const gradient of CORRECTED_GRADIENTS) {
    if (tf.getGradient(gradient.kernelName)?.gradFunc === gradient.gradFunc) continue;
    tf.unregisterGradient(gradient.kernelName);
    tf.registerGradient(gradient);
  }
}

registerCorrectedGradients();
