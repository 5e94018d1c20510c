import * as tf from '@tensorflow/tfjs';
import { defineActivation } from './define';

defineActivation({
  name: 'hardswish',
  className: 'AcafHardSwish',
  description: 'z*relu6(z+3)/6 (MobileNetV3)',
  formula: (z) => tf.div(tf.mul(z, tf.relu6(tf.add(z, 3))), 6),
});
