import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'sigmoid',
  className: 'AcafSigmoid',
  description: '1/(1+exp(-z))',
  formula: (z) => tf.sigmoid(z),
});
