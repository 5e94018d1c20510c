import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'as',
  className: 'AcafAdaptiveSigmoid',
  description: 'adaptive sigmoid b*sigmoid(a*z+c)+d (the paper); starts as sigmoid',
  parameters: { a: 1, b: 1, c: 0, d: 0 },
  formula: (z, { a, b, c, d }) => tf.add(tf.mul(b, tf.sigmoid(tf.add(tf.mul(a, z), c))), d),
});
