import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit, PaperInit } from './layer-kit';
import { NetworkPluginOptions, paperFamilyOptionSchemas, resolveSettings } from './options';

type Tensor = tf.SymbolicTensor;

interface ConvLayer {
  name: string;
  filters: number;
  kernel: number;
  strides?: number;
  groups?: number;
  /** Local response normalisation then a 3x3/2 max-pool after the activation. */
  lrn?: boolean;
  pool?: boolean;
  /** The paper's code starts this layer's biases at 1 (0 otherwise). */
  unitBias?: boolean;
}

/** The authors' CIFAR AlexNet: conv1 stride 2, no conv4, batch norm inside every layer, fc 1024/2048. */
const PAPER_CONVS: ConvLayer[] = [
  { name: 'conv1', filters: 96, kernel: 11, strides: 2, lrn: true, pool: true },
  { name: 'conv2', filters: 256, kernel: 5, groups: 2, lrn: true, pool: true, unitBias: true },
  { name: 'conv3', filters: 384, kernel: 3 },
  { name: 'conv5', filters: 256, kernel: 3, groups: 2, pool: true, unitBias: true },
];

/** Krizhevsky et al. 2012, with the two-GPU split as grouped convolutions. */
const STANDARD_CONVS: ConvLayer[] = [
  { name: 'conv1', filters: 96, kernel: 11, strides: 4, lrn: true, pool: true },
  { name: 'conv2', filters: 256, kernel: 5, groups: 2, lrn: true, pool: true, unitBias: true },
  { name: 'conv3', filters: 384, kernel: 3 },
  { name: 'conv4', filters: 384, kernel: 3, groups: 2, unitBias: true },
  { name: 'conv5', filters: 256, kernel: 3, groups: 2, pool: true, unitBias: true },
];

const paperInit = (bias: number): PaperInit => ({ kernel: () => tf.initializers.randomNormal({ stddev: 0.01 }), bias });

networks.register<NetworkPluginOptions>({
  name: 'alexnet',
  description:
    "AlexNet: paper = the authors' CIFAR code (conv1 stride 2, grouped conv2/conv5, LRN, no conv4, batch norm, fc 1024/2048); " +
    'standard = Krizhevsky et al. 2012 (grouped convs, LRN, fc 4096)',
  options: paperFamilyOptionSchemas,
  // The custom batch_norm of AlexNet_model.py never uses its moving averages.
  paperQuirks: { bnTestStatistics: 'batch' },
  build(options, { inputShape, numClasses, activation }) {
    const settings = resolveSettings(options);
    const paper = settings.variant === 'paper';
    const kit = new LayerKit(settings, activation, paperInit(1));
    // Batch norm sits between the bias add and the activation in the paper's code; the original has none.
    const normalize = (x: Tensor, name: string) => (paper ? kit.batchNorm(x, `${name}.bn`) : x);
    const input = tf.input({ shape: inputShape, name: 'input' });
    let x = input;
    for (const layer of paper ? PAPER_CONVS : STANDARD_CONVS) {
      const { name, kernel, strides, groups } = layer;
      // Widths stay even so the two groups split them.
      const filters = kit.width(layer.filters, 2);
      x = kit.act(
        normalize(kit.conv(x, name, { filters, kernel, strides, groups, init: paperInit(layer.unitBias ? 1 : 0) }), name),
        `${name}.act`,
      );
      if (layer.lrn) x = kit.localResponseNorm(x, `${name}.lrn`, paper ? 5 : 2);
      if (layer.pool) x = kit.maxPool(x, `${name}.pool`, 3, 2, 'valid');
    }
    x = kit.flatten(x, 'flatten');
    const widths = paper ? [1024, 2048] : [4096, 4096];
    ['fc6', 'fc7'].forEach((fc, index) => {
      x = kit.dropout(kit.act(normalize(kit.dense(x, fc, kit.width(widths[index])), fc), `${fc}.act`), `${fc}.dropout`);
    });
    const logits = kit.dense(x, 'fc8', numClasses);
    return tf.model({ name: `alexnet-${settings.variant}`, inputs: input, outputs: logits });
  },
});
