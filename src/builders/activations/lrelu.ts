import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'lrelu',
  className: 'AcafLeakyReLU',
  description: "leaky ReLU max(z, slope*z), slope fixed (0.2 as in the authors' code)",
  constants: { slope: { default: 0.2, minimum: 0, description: 'slope for z < 0' } },
  formula: (z, _parameters, { slope }) => tf.leakyRelu(z, slope),
});
