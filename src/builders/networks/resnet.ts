import * as tf from '@tensorflow/tfjs';
import { networks } from '../../registry';
import { LayerKit } from './layer-kit';
import { NetworkPluginOptions, PAPER_DEFAULTS, paperFamilyOptionSchemas, resolveSettings, STANDARD_DEFAULTS } from './options';

type Tensor = tf.SymbolicTensor;

interface Depth {
  unit: 'basic' | 'bottleneck';
  /** Units per stage. */
  units: [number, number, number, number];
}

const DEPTHS: Record<string, Depth> = {
  resnet18: { unit: 'basic', units: [2, 2, 2, 2] },
  resnet34: { unit: 'basic', units: [3, 4, 6, 3] },
  resnet50: { unit: 'bottleneck', units: [3, 4, 6, 3] },
  resnet101: { unit: 'bottleneck', units: [3, 4, 23, 3] },
};

/** Output channels of each stage's units; a bottleneck's inner width is a quarter of them. */
const BASIC_WIDTHS = [64, 128, 256, 512];
const BOTTLENECK_WIDTHS = [256, 512, 1024, 2048];

function convBn(kit: LayerKit, x: Tensor, name: string, filters: number, kernel: number, strides: number, bn: string): Tensor {
  return kit.batchNorm(kit.conv(x, name, { filters, kernel, strides, useBias: false }), bn);
}

/** Projection (1x1 conv with the unit's stride, then BN) where the shape changes, identity otherwise. */
function shortcut(kit: LayerKit, x: Tensor, prefix: string, filters: number, strides: number): Tensor {
  if (strides === 1 && x.shape[3] === filters) return x;
  return convBn(kit, x, `${prefix}.shortcut.conv`, filters, 1, strides, `${prefix}.shortcut.bn`);
}

function basicUnit(kit: LayerKit, x: Tensor, prefix: string, filters: number, strides: number): Tensor {
  let h = kit.act(convBn(kit, x, `${prefix}.conv1`, filters, 3, strides, `${prefix}.bn1`), `${prefix}.act1`);
  h = convBn(kit, h, `${prefix}.conv2`, filters, 3, 1, `${prefix}.bn2`);
  return kit.act(kit.add([shortcut(kit, x, prefix, filters, strides), h], `${prefix}.add`), `${prefix}.act2`);
}

/**
 * The bottleneck 1x1 -> 3x3 -> 1x1. The paper's code (ResNet v1) strides the first 1x1; the standard variant
 * follows torchvision (ResNet v1.5) and strides the 3x3. Both have the same parameters.
 */
function bottleneckUnit(kit: LayerKit, x: Tensor, prefix: string, filters: number, strides: number): Tensor {
  const inner = filters / 4;
  const [stride1, stride2] = kit.settings.variant === 'paper' ? [strides, 1] : [1, strides];
  let h = kit.act(convBn(kit, x, `${prefix}.conv1`, inner, 1, stride1, `${prefix}.bn1`), `${prefix}.act1`);
  h = kit.act(convBn(kit, h, `${prefix}.conv2`, inner, 3, stride2, `${prefix}.bn2`), `${prefix}.act2`);
  h = convBn(kit, h, `${prefix}.conv3`, filters, 1, 1, `${prefix}.bn3`);
  // act3 follows the residual sum.
  return kit.act(kit.add([shortcut(kit, x, prefix, filters, strides), h], `${prefix}.add`), `${prefix}.act3`);
}

for (const [name, depth] of Object.entries(DEPTHS)) {
  const widths = depth.unit === 'basic' ? BASIC_WIDTHS : BOTTLENECK_WIDTHS;
  const unit = depth.unit === 'basic' ? basicUnit : bottleneckUnit;
  networks.register<NetworkPluginOptions>({
    name,
    description:
      `ResNet-${name.slice(6)} (${depth.unit} units ${depth.units.join('/')}): paper = the authors' ResNet v1 code, ` +
      'standard = torchvision; both with the 7x7/2 stem and max-pool',
    options: paperFamilyOptionSchemas,
    // Only ResNet-50 is the authors' (ResNet_model.py: a softmax fed to the from-logits loss, batch statistics at test).
    paperQuirks: name === 'resnet50' ? { outputSoftmax: true, bnTestStatistics: 'batch' } : undefined,
    build(options, { inputShape, numClasses, activation }) {
      // ResNet has no dropout; a non-zero rate adds one before the classifier.
      const settings = resolveSettings(options, {
        paper: { ...PAPER_DEFAULTS, dropout: 0 },
        standard: { ...STANDARD_DEFAULTS, dropout: 0 },
      });
      // The paper's code uses Xavier (Glorot uniform) everywhere.
      const kit = new LayerKit(settings, activation, { kernel: () => tf.initializers.glorotUniform({}) });
      const input = tf.input({ shape: inputShape, name: 'input' });
      let x = kit.act(convBn(kit, input, 'conv1', kit.width(64), 7, 2, 'conv1.bn'), 'conv1.act');
      x = kit.maxPool(x, 'pool1', 3, 2);
      depth.units.forEach((units, stage) => {
        for (let index = 0; index < units; index++) {
          const strides = index === 0 && stage > 0 ? 2 : 1;
          x = unit(kit, x, `stage${stage + 1}.unit${index + 1}`, kit.width(widths[stage], 4), strides);
        }
      });
      x = kit.dropout(kit.globalAvgPool(x, 'pool'), 'dropout');
      const logits = kit.dense(x, 'logits', numClasses);
      return tf.model({ name: `${name}-${settings.variant}`, inputs: input, outputs: logits });
    },
  });
}
