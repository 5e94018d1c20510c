import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'softplus',
  className: 'AcafSoftplus',
  description: 'log(1+exp(z)), computed without overflow',
  // tfjs's Softplus kernel switches to z or exp(z) for large |z|, and its gradient is sigmoid(z).
  formula: (z) => tf.softplus(z),
});
