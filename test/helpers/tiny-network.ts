import * as tf from '@tensorflow/tfjs';
import { networks } from '../../src/registry';

/** Call sites of `test-tiny`: a stem, two blocks of two, a head (so block-ends selects the blocks' second sites). */
export const TINY_SITES = ['stem.act', 'block1.conv1.act', 'block1.conv2.act', 'block2.conv1.act', 'block2.conv2.act', 'head.act'];

/** A test-only network: dense layers of 3 units, each followed by one activation call site. */
export function registerTinyNetwork(): void {
  if (networks.has('test-tiny')) return;
  networks.register({
    name: 'test-tiny',
    description: 'test-only MLP with six activation call sites',
    options: {},
    build: (_options, { inputShape, numClasses, activation }) => {
      const input = tf.input({ shape: inputShape });
      let x = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
      for (const site of TINY_SITES) {
        x = tf.layers.dense({ units: 3, name: `${site}.dense` }).apply(x) as tf.SymbolicTensor;
        x = activation(site).apply(x) as tf.SymbolicTensor;
      }
      const logits = tf.layers.dense({ units: numClasses, name: 'logits' }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: logits });
    },
  });
}
