import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'gelu',
  className: 'AcafGELU',
  description: 'z*Phi(z) = z*(1+erf(z/sqrt(2)))/2, the exact GELU',
  formula: (z) => tf.mul(tf.mul(z, 0.5), tf.add(tf.erf(tf.mul(z, Math.SQRT1_2)), 1)),
});
