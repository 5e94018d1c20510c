import * as tf from '@tensorflow/tfjs';
import { defineComposedOps, runOp } from './composed-ops';

/**
 * ReLU's gradient as one op: tfjs differentiates Relu as mul(dy, cast(step(x))), three kernels and two temporaries
 * the size of the activation per ReLU. This package registers that gradient through the op AcafReluGradient, which a
 * backend may fuse into one pass (the native source does) and which elsewhere runs as the same three tfjs ops.
 */
export const RELU_GRADIENT = 'AcafReluGradient';

defineComposedOps({
  [RELU_GRADIENT]: ({ dy, x }) => [tf.mul(dy, tf.cast(tf.step(x), 'float32'))],
});

export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return runOp(RELU_GRADIENT, { dy, x })[0];
}

tf.registerGradient({
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => reluGradient(dy as tf.Tensor, saved[0]) }),
});
