import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'mish',
  className: 'AcafMish',
  description: 'z*tanh(softplus(z)) (Misra)',
  formula: (z) => tf.mul(z, tf.tanh(tf.softplus(z))),
});
