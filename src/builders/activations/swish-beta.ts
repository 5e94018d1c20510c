import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'swish-beta',
  className: 'AcafSwishBeta',
  description: "z*sigmoid(beta*z) with a learnable beta starting at 1 (the authors' Swish baseline)",
  parameters: { beta: 1 },
  formula: (z, { beta }) => tf.mul(z, tf.sigmoid(tf.mul(beta, z))),
});
