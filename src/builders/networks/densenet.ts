import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit } from './layer-kit';
import { NetworkPluginOptions, paperFamilyOptionSchemas, resolveSettings, STANDARD_DEFAULTS } from './options';

type Tensor = tf.SymbolicTensor;

interface DenseNetConfig {
  growthRate: number;
  /** Bottleneck layers per dense block. */
  blocks: number[];
  description: string;
}

const CONFIGS: Record<string, DenseNetConfig> = {
  densenet: {
    growthRate: 24,
    blocks: [6, 12, 48, 32],
    description: "the paper's DenseNet (Densenet_Cifar10.py): growth 24, blocks 6/12/48/32",
  },
  densenet121: { growthRate: 32, blocks: [6, 12, 24, 16], description: 'DenseNet-121: growth 32, blocks 6/12/24/16' },
  densenet169: { growthRate: 32, blocks: [6, 12, 32, 32], description: 'DenseNet-169: growth 32, blocks 6/12/32/32' },
};

/** Pre-activation: batch norm, activation, then the conv (Huang et al.), with dropout after it when enabled. */
function normActConv(kit: LayerKit, x: Tensor, prefix: string, suffix: string, filters: number, kernel: number): Tensor {
  const h = kit.act(kit.batchNorm(x, `${prefix}.bn${suffix}`), `${prefix}.act${suffix}`);
  return kit.dropout(kit.conv(h, `${prefix}.conv${suffix}`, { filters, kernel, useBias: false }), `${prefix}.dropout${suffix}`);
}

/** Each layer adds `growth` channels: BN-act-1x1 conv (4 x growth) then BN-act-3x3 conv (growth), concatenated. */
function denseBlock(kit: LayerKit, x: Tensor, block: number, layers: number, growth: number): Tensor {
  for (let index = 1; index <= layers; index++) {
    const prefix = `dense${block}.layer${index}`;
    const bottleneck = normActConv(kit, x, prefix, '1', 4 * growth, 1);
    const added = normActConv(kit, bottleneck, prefix, '2', growth, 3);
    x = kit.concat([x, added], `${prefix}.concat`);
  }
  return x;
}

/** BN-act-1x1 conv halving the channels, then a 2x2/2 average pool. */
function transition(kit: LayerKit, x: Tensor, index: number): Tensor {
  const prefix = `transition${index}`;
  const h = kit.act(kit.batchNorm(x, `${prefix}.bn`), `${prefix}.act`);
  const conv = kit.conv(h, `${prefix}.conv`, { filters: Math.floor((x.shape[3] as number) / 2), kernel: 1, useBias: false });
  return kit.avgPool(kit.dropout(conv, `${prefix}.dropout`), `${prefix}.pool`, 2, 2, 'valid');
}

for (const [name, config] of Object.entries(CONFIGS)) {
  networks.register<NetworkPluginOptions>({
    name,
    description:
      `${config.description}; paper = the authors' CIFAR code (7x7/2 stem without max-pool, dropout 0.2), ` +
      'standard = torchvision (7x7/2 stem and max-pool, no dropout)',
    options: paperFamilyOptionSchemas,
    // Only `densenet` is the authors' (Densenet_Cifar10.py: tf.contrib batch norm, moving statistics at test).
    paperQuirks: name === 'densenet' ? { bnTestStatistics: 'moving' } : undefined,
    build(options, { inputShape, numClasses, activation }) {
      // Densenet_Cifar10.py: tf.contrib batch norm (decay 0.9, eps 1e-3, moving statistics at test), dropout 0.2.
      const settings = resolveSettings(options, {
        paper: { dropout: 0.2, initializer: 'paper', batchNorm: { momentum: 0.9, epsilon: 1e-3 }, bnTestStatistics: 'moving' },
        standard: { ...STANDARD_DEFAULTS, dropout: 0 },
      });
      // tf.layers.conv2d and tf.layers.dense default to Glorot uniform.
      const kit = new LayerKit(settings, activation, { kernel: () => tf.initializers.glorotUniform({}) });
      const growth = kit.width(config.growthRate);
      const input = tf.input({ shape: inputShape, name: 'input' });
      let x = kit.conv(input, 'conv0', { filters: 2 * growth, kernel: 7, strides: 2, useBias: false });
      if (settings.variant === 'standard') {
        x = kit.act(kit.batchNorm(x, 'conv0.bn'), 'conv0.act');
        x = kit.maxPool(x, 'pool0', 3, 2);
      }
      config.blocks.forEach((layers, index) => {
        x = denseBlock(kit, x, index + 1, layers, growth);
        if (index < config.blocks.length - 1) x = transition(kit, x, index + 1);
      });
      x = kit.act(kit.batchNorm(x, 'final.bn'), 'final.act');
      const logits = kit.dense(kit.globalAvgPool(x, 'pool'), 'logits', numClasses);
      return tf.model({ name: `${name}-${settings.variant}`, inputs: input, outputs: logits });
    },
  });
}
