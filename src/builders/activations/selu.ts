import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'selu',
  className: 'AcafSELU',
  description: 'scaled ELU (Klambauer et al.), self-normalising',
  formula: (z) => tf.selu(z),
});
