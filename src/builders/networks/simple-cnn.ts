import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit } from './layer-kit';
import { basicOptionSchemas, NetworkPluginOptions, resolveBasicSettings } from './options';

interface SimpleCnnOptions extends NetworkPluginOptions {
  convFilters: [number, number];
  hiddenUnits: number;
}

networks.register<SimpleCnnOptions>({
  name: 'simple-cnn',
  description: 'small CNN for quick runs and benchmarks: conv3x3 32, max-pool, conv3x3 64, max-pool, fc 128, logits',
  options: {
    ...basicOptionSchemas,
    convFilters: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      minItems: 2,
      maxItems: 2,
      default: [32, 64],
      description: 'filters of the two 3x3 convs',
    },
    hiddenUnits: { type: 'integer', minimum: 1, default: 128, description: 'units of the hidden fully connected layer' },
  },
  build(options, { inputShape, numClasses, activation }) {
    const settings = resolveBasicSettings(options);
    const kit = new LayerKit(settings, activation, { kernel: () => tf.initializers.glorotUniform({}) });
    const [filters1, filters2] = options.convFilters ?? [32, 64];
    const input = tf.input({ shape: inputShape, name: 'input' });
    let x = kit.maxPool(kit.act(kit.conv(input, 'conv1', { filters: kit.width(filters1), kernel: 3 }), 'conv1.act'), 'pool1', 2, 2);
    x = kit.maxPool(kit.act(kit.conv(x, 'conv2', { filters: kit.width(filters2), kernel: 3 }), 'conv2.act'), 'pool2', 2, 2);
    x = kit.flatten(x, 'flatten');
    x = kit.dropout(kit.act(kit.dense(x, 'fc1', kit.width(options.hiddenUnits ?? 128)), 'fc1.act'), 'fc1.dropout');
    const logits = kit.dense(x, 'logits', numClasses);
    return tf.model({ name: 'simple-cnn', inputs: input, outputs: logits });
  },
});
