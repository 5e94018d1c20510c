import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit } from './layer-kit';
import { NetworkPluginOptions, PAPER_DEFAULTS, paperFamilyOptionSchemas, resolveSettings, STANDARD_DEFAULTS } from './options';

type Tensor = tf.SymbolicTensor;

/** Inception module widths: 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection (Szegedy et al. table 1). */
type InceptionWidths = [number, number, number, number, number, number];
const INCEPTIONS: Record<string, InceptionWidths> = {
  '3a': [64, 96, 128, 16, 32, 32],
  '3b': [128, 128, 192, 32, 96, 64],
  '4a': [192, 96, 208, 16, 48, 64],
  '4b': [160, 112, 224, 24, 64, 64],
  '4c': [128, 128, 256, 24, 64, 64],
  '4d': [112, 144, 288, 32, 64, 64],
  '4e': [256, 160, 320, 32, 128, 128],
  '5a': [256, 160, 320, 32, 128, 128],
  '5b': [384, 192, 384, 48, 128, 128],
};
/** A max-pool (3x3/2) precedes these modules. */
const POOL_BEFORE = new Set(['4a', '5a']);
/** Auxiliary classifiers (standard variant with `auxHeads`) branch off after these modules. */
const AUX_AFTER: Record<string, string> = { '4a': 'aux1', '4d': 'aux2' };

interface GoogLeNetOptions extends NetworkPluginOptions {
  auxHeads: boolean;
  branch5x5Kernel?: 'variant' | 3 | 5;
}

/** Conv, batch norm, activation: every convolution of both variants (biased convs in the paper's code). */
function convUnit(kit: LayerKit, x: Tensor, name: string, site: string, filters: number, kernel: number, strides = 1): Tensor {
  const useBias = kit.settings.variant === 'paper';
  return kit.act(kit.batchNorm(kit.conv(x, name, { filters, kernel, strides, useBias }), `${name}.bn`), site);
}

function inception(kit: LayerKit, x: Tensor, module: string, widths: InceptionWidths, wideKernel: number): Tensor {
  const [w1, w3r, w3, w5r, w5, wp] = widths.map((width) => kit.width(width));
  const name = `inception${module}`;
  const branch1 = convUnit(kit, x, `${name}.branch1x1.conv`, `${name}.branch1x1.act`, w1, 1);
  let branch3 = convUnit(kit, x, `${name}.branch3x3.conv1`, `${name}.branch3x3.act1`, w3r, 1);
  branch3 = convUnit(kit, branch3, `${name}.branch3x3.conv2`, `${name}.branch3x3.act2`, w3, 3);
  let branch5 = convUnit(kit, x, `${name}.branch5x5.conv1`, `${name}.branch5x5.act1`, w5r, 1);
  branch5 = convUnit(kit, branch5, `${name}.branch5x5.conv2`, `${name}.branch5x5.act2`, w5, wideKernel);
  const pooled = kit.maxPool(x, `${name}.branchPool.pool`, 3, 1);
  const branchPool = convUnit(kit, pooled, `${name}.branchPool.conv`, `${name}.branchPool.act`, wp, 1);
  return kit.concat([branch1, branch3, branch5, branchPool], `${name}.concat`);
}

/** Szegedy et al.'s auxiliary classifier: avg-pool 5x5/3, 1x1 conv 128, fc 1024, dropout 0.7, logits. */
function auxiliaryHead(kit: LayerKit, x: Tensor, name: string, numClasses: number): Tensor {
  let h = kit.avgPool(x, `${name}.pool`, 5, 3, 'valid');
  h = kit.flatten(convUnit(kit, h, `${name}.conv`, `${name}.conv.act`, kit.width(128), 1), `${name}.flatten`);
  h = kit.dropout(kit.act(kit.dense(h, `${name}.fc`, kit.width(1024)), `${name}.fc.act`), `${name}.dropout`, 0.7);
  return kit.dense(h, `${name}.logits`, numClasses);
}

networks.register<GoogLeNetOptions>({
  name: 'googlenet',
  description:
    "GoogLeNet (Inception v1): paper = the authors' CIFAR code (32x32 stem with two 3x3 convs of 192, batch norm); " +
    'standard = torchvision (batch norm, no LRN), auxiliary heads as extra outputs with auxHeads',
  options: {
    ...paperFamilyOptionSchemas,
    auxHeads: { type: 'boolean', default: false, description: 'standard variant: add the two auxiliary classifiers as outputs 2 and 3' },
    branch5x5Kernel: {
      enum: ['variant', 3, 5],
      default: 'variant',
      description: "kernel of the '5x5' branch; standard follows torchvision's 3 (its reference weights), Szegedy et al. used 5",
    },
  },
  // GoogLeNet_model.py: a softmax fed to the from-logits loss, and batch statistics at test time.
  paperQuirks: { outputSoftmax: true, bnTestStatistics: 'batch' },
  build(options, { inputShape, numClasses, activation }) {
    const settings = resolveSettings(options, {
      paper: PAPER_DEFAULTS,
      // torchvision: dropout 0.2 before the classifier, batch-norm eps 1e-3.
      standard: { ...STANDARD_DEFAULTS, dropout: 0.2, batchNorm: { momentum: 0.9, epsilon: 1e-3 } },
    });
    const paper = settings.variant === 'paper';
    const chosenKernel = options.branch5x5Kernel ?? 'variant';
    const wideKernel = chosenKernel === 'variant' ? (paper ? 5 : 3) : chosenKernel;
    const kit = new LayerKit(settings, activation, { kernel: () => tf.initializers.randomNormal({ stddev: 0.01 }) });
    const input = tf.input({ shape: inputShape, name: 'input' });
    let x = convUnit(kit, input, 'conv1', 'conv1.act', kit.width(64), 7, 2);
    x = kit.maxPool(x, 'pool1', 3, 2);
    // The paper's stem has two 3x3 convs of 192 where the original has a 1x1 of 64 then a 3x3 of 192.
    x = convUnit(kit, x, 'conv2', 'conv2.act', kit.width(paper ? 192 : 64), paper ? 3 : 1);
    x = convUnit(kit, x, 'conv3', 'conv3.act', kit.width(192), 3);
    x = kit.maxPool(x, 'pool2', 3, 2);
    const auxLogits: Tensor[] = [];
    for (const [module, widths] of Object.entries(INCEPTIONS)) {
      if (POOL_BEFORE.has(module)) x = kit.maxPool(x, `pool${module[0]}`, 3, 2);
      x = inception(kit, x, module, widths, wideKernel);
      if (options.auxHeads && !paper && AUX_AFTER[module]) auxLogits.push(auxiliaryHead(kit, x, AUX_AFTER[module], numClasses));
    }
    x = kit.dropout(kit.globalAvgPool(x, 'pool'), 'dropout');
    // The paper's classifier: truncated normal, std 0.02, zero bias.
    const logits = kit.dense(x, 'logits', numClasses, { kernel: () => tf.initializers.truncatedNormal({ stddev: 0.02 }) });
    return tf.model({ name: `googlenet-${settings.variant}`, inputs: input, outputs: [logits, ...auxLogits] });
  },
});
