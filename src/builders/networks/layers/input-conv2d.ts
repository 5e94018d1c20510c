import * as tf from '@tensorflow/tfjs';
import type { Conv2D } from '@tensorflow/tfjs-layers/dist/layers/convolutional';

/** tfjs-layers' Conv2D class (its module is not importable on its own at runtime; tfjs registers it by name). */
const Conv2DLayer = tf.serialization.SerializationMap.getMap().classNameMap.Conv2D[0] as unknown as typeof Conv2D;

/**
 * A Conv2D for a network's first layer, which reads the images: nothing needs the gradient with respect to its
 * input. tfjs's fused convolution (bias and activation in one op, what Conv2D uses) computes that gradient anyway,
 * a whole transposed convolution per step (about 6% of a small CNN's training step); the separate conv2d and bias
 * ops used here have per-input gradients, and the unused one is never computed. Outside training (evaluation) the
 * fused op is faster (the bias added in the same pass: a small CNN evaluates about 10% faster), so it is used there.
 */
export class InputConv2D extends Conv2DLayer {
  static override className = 'AcafInputConv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const padding = this.padding;
    if (kwargs.training !== true || this.dataFormat !== 'channelsLast' || padding === 'causal') return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const strides = this.strides as [number, number];
      const dilations = this.dilationRate as [number, number];
      const convolved = tf.conv2d(x, this.kernel.read() as tf.Tensor4D, strides, padding, 'NHWC', dilations);
      const biased = this.useBias ? tf.add(convolved, this.bias.read()) : convolved;
      return this.activation.apply(biased);
    });
  }
}
tf.serialization.registerClass(InputConv2D);
