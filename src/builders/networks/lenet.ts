import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit } from './layer-kit';
import { NetworkPluginOptions, PAPER_DEFAULTS, paperFamilyOptionSchemas, resolveSettings, STANDARD_DEFAULTS } from './options';
import type { NetworkBuildContext } from './types';

networks.register<NetworkPluginOptions>({
  name: 'lenet',
  description: "LeNet: paper = the authors' CIFAR code (14x14 conv2, fc120, 143,498 params); standard = LeNet-5",
  options: paperFamilyOptionSchemas,
  // LeNet_model.py ends in a softmax that the loss treats as logits.
  paperQuirks: { outputSoftmax: true },
  build(options, { inputShape, numClasses, activation }: NetworkBuildContext) {
    // LeNet-5 has no dropout.
    const settings = resolveSettings(options, { paper: PAPER_DEFAULTS, standard: { ...STANDARD_DEFAULTS, dropout: 0 } });
    const kit = new LayerKit(settings, activation, { kernel: () => tf.initializers.truncatedNormal({ stddev: 0.1 }), bias: 0.1 });
    const input = tf.input({ shape: inputShape, name: 'input' });
    const paper = settings.variant === 'paper';
    // The paper's code keeps SAME padding and uses a 14x14 conv2; LeNet-5 uses 5x5 VALID convs and an fc84 layer.
    const padding = paper ? 'same' : 'valid';
    let x = kit.act(kit.conv(input, 'conv1', { filters: kit.width(6), kernel: 5, padding }), 'conv1.act');
    x = kit.maxPool(x, 'pool1', 2, 2);
    x = kit.act(kit.conv(x, 'conv2', { filters: kit.width(16), kernel: paper ? 14 : 5, padding }), 'conv2.act');
    x = kit.flatten(kit.maxPool(x, 'pool2', 2, 2), 'flatten');
    x = kit.dropout(kit.act(kit.dense(x, 'fc1', kit.width(120)), 'fc1.act'), 'fc1.dropout');
    if (!paper) x = kit.act(kit.dense(x, 'fc2', kit.width(84)), 'fc2.act');
    const logits = kit.dense(x, 'logits', numClasses);
    return tf.model({ name: `lenet-${settings.variant}`, inputs: input, outputs: logits });
  },
});
