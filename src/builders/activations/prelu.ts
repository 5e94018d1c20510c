import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'prelu',
  className: 'AcafPReLU',
  description: 'PReLU relu(z)+slope*min(z,0) with a learnable slope starting at 0.25 (He et al.)',
  parameters: { slope: 0.25 },
  formula: (z, { slope }) => tf.add(tf.relu(z), tf.mul(slope, tf.minimum(z, 0))),
});
