import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'alpha-relu',
  className: 'AcafAlphaReLU',
  description: "relu(z)+alpha*(z-|z|)/2, the authors' code (a PReLU with alpha starting at 0)",
  parameters: { alpha: 0 },
  formula: (z, { alpha }) => tf.add(tf.relu(z), tf.mul(alpha, tf.mul(tf.sub(z, tf.abs(z)), 0.5))),
});
