import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit } from './layer-kit';
import { NetworkPluginOptions, paperFamilyOptionSchemas, resolveSettings } from './options';

/** Conv widths of the five blocks. */
const BLOCKS = [
  [64, 64],
  [128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [512, 512, 512],
];

interface Vgg16Options extends NetworkPluginOptions {
  batchNormEveryConv: boolean;
}

networks.register<Vgg16Options>({
  name: 'vgg16',
  description:
    "VGG-16: paper = the authors' CIFAR code (no pools after blocks 1-2, BN on each block's last conv, fc 8192); " +
    'standard = Simonyan & Zisserman (fc 4096), optionally with batch norm after every conv',
  options: {
    ...paperFamilyOptionSchemas,
    batchNormEveryConv: { type: 'boolean', default: false, description: 'standard variant: batch norm after every conv (vgg16_bn)' },
  },
  // The custom batch_norm of VGG16_model.py never uses its moving averages.
  paperQuirks: { bnTestStatistics: 'batch' },
  build(options, { inputShape, numClasses, activation }) {
    const settings = resolveSettings(options);
    const paper = settings.variant === 'paper';
    // The paper's code: weights N(0, 0.01), conv biases 0, fully connected biases 1.
    const kit = new LayerKit(settings, activation, { kernel: () => tf.initializers.randomNormal({ stddev: 0.01 }) });
    const fcInit = { kernel: () => tf.initializers.randomNormal({ stddev: 0.01 }), bias: 1 };
    const input = tf.input({ shape: inputShape, name: 'input' });
    let x = input;
    BLOCKS.forEach((widths, blockIndex) => {
      const block = `block${blockIndex + 1}`;
      widths.forEach((filters, convIndex) => {
        const conv = `${block}.conv${convIndex + 1}`;
        x = kit.conv(x, conv, { filters: kit.width(filters), kernel: 3 });
        const isLast = convIndex === widths.length - 1;
        if (paper ? isLast : options.batchNormEveryConv) x = kit.batchNorm(x, `${conv}.bn`);
        x = kit.act(x, `${conv}.act`);
      });
      if (!paper || blockIndex >= 2) x = kit.maxPool(x, `${block}.pool`, 2, 2, 'valid');
    });
    x = kit.flatten(x, 'flatten');
    const hidden = kit.width(paper ? 8192 : 4096);
    for (const fc of ['fc1', 'fc2']) x = kit.dropout(kit.act(kit.dense(x, fc, hidden, fcInit), `${fc}.act`), `${fc}.dropout`);
    const logits = kit.dense(x, 'logits', numClasses, fcInit);
    return tf.model({ name: `vgg16-${settings.variant}`, inputs: input, outputs: logits });
  },
});
