import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'relu',
  className: 'AcafReLU',
  description: 'max(z, 0)',
  formula: (z) => tf.relu(z),
});
