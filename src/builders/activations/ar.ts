import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'ar',
  className: 'AcafAdaptiveReLU',
  description: 'adaptive ReLU max(a*z+c, b*z+d) (the paper); starts as the identity, ties go to (a, c)',
  parameters: { a: 1, b: 1, c: 0, d: 0 },
  // tf.maximum sends a tie's whole gradient to its first argument, as TF1 did in the authors' code (paper.md 1.4).
  formula: (z, { a, b, c, d }) => tf.maximum(tf.add(tf.mul(a, z), c), tf.add(tf.mul(b, z), d)),
});
