import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'elu',
  className: 'AcafELU',
  description: 'z for z > 0, exp(z)-1 otherwise',
  formula: (z) => tf.elu(z),
});
