import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit } from './layer-kit';
import { basicOptionSchemas, NetworkPluginOptions, resolveBasicSettings } from './options';

interface MlpOptions extends NetworkPluginOptions {
  hiddenUnits: number[];
}

networks.register<MlpOptions>({
  name: 'mlp',
  description: 'multilayer perceptron on the flattened image: fully connected hidden layers, then logits',
  options: {
    ...basicOptionSchemas,
    hiddenUnits: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      default: [256, 128],
      description: 'units of each hidden layer, in order',
    },
  },
  build(options, { inputShape, numClasses, activation }) {
    const settings = resolveBasicSettings(options);
    const kit = new LayerKit(settings, activation, { kernel: () => tf.initializers.glorotUniform({}) });
    const input = tf.input({ shape: inputShape, name: 'input' });
    let x = kit.flatten(input, 'flatten');
    (options.hiddenUnits ?? [256, 128]).forEach((units, index) => {
      const name = `fc${index + 1}`;
      x = kit.dropout(kit.act(kit.dense(x, name, kit.width(units)), `${name}.act`), `${name}.dropout`);
    });
    const logits = kit.dense(x, 'logits', numClasses);
    return tf.model({ name: 'mlp', inputs: input, outputs: logits });
  },
});
