import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'tanh',
  className: 'AcafTanh',
  description: 'tanh(z)',
  formula: (z) => tf.tanh(z),
});
