import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { learningRateOption, scheduled } from './scheduled';
import type { OptimizerOptions } from './types';

interface MomentumOptions extends OptimizerOptions {
  momentum: number;
  nesterov: boolean;
}

optimizers.register<MomentumOptions>({
  name: 'momentum',
  description: 'SGD with momentum, optionally Nesterov',
  options: {
    lr: learningRateOption(0.01),
    momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'velocity decay' },
    nesterov: { type: 'boolean', default: false, description: 'use the Nesterov look-ahead gradient' },
  },
  build: ({ lr, momentum, nesterov }) => scheduled(tf.train.momentum(lr, momentum, nesterov)),
});
