import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'at',
  className: 'AcafAdaptiveTanh',
  description: 'adaptive tanh b*tanh(a*z+c)+d (the paper); starts as tanh',
  parameters: { a: 1, b: 1, c: 0, d: 0 },
  formula: (z, { a, b, c, d }) => tf.add(tf.mul(b, tf.tanh(tf.add(tf.mul(a, z), c))), d),
});
