import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { epsilonOption, learningRateOption, scheduled } from './scheduled';
import type { OptimizerOptions } from './types';

interface RmspropOptions extends OptimizerOptions {
  decay: number;
  momentum: number;
  centered: boolean;
  epsilon?: number;
}

optimizers.register<RmspropOptions>({
  name: 'rmsprop',
  description: 'RMSProp: steps scaled by a running average of squared gradients',
  options: {
    lr: learningRateOption(0.001),
    decay: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'decay of the squared-gradient average' },
    momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0, description: 'momentum on the scaled step' },
    centered: { type: 'boolean', default: false, description: 'divide by the gradient variance estimate instead of the raw second moment' },
    epsilon: epsilonOption,
  },
  build: ({ lr, decay, momentum, centered, epsilon }) => scheduled(tf.train.rmsprop(lr, decay, momentum, epsilon, centered)),
});
