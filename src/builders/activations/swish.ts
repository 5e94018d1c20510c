import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'swish',
  className: 'AcafSwish',
  description: 'z*sigmoid(z) (SiLU, Swish with beta fixed at 1)',
  formula: (z) => tf.mul(z, tf.sigmoid(z)),
});
