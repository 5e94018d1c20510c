import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { learningRateOption, scheduled } from './scheduled';
import type { OptimizerOptions } from './types';

interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue: number;
}

optimizers.register<AdagradOptions>({
  name: 'adagrad',
  description: 'AdaGrad: per-weight steps scaled by the accumulated squared gradients',
  options: {
    lr: learningRateOption(0.01),
    initialAccumulatorValue: { type: 'number', exclusiveMinimum: 0, default: 0.1, description: 'starting value of the accumulators' },
  },
  build: ({ lr, initialAccumulatorValue }) => scheduled(tf.train.adagrad(lr, initialAccumulatorValue)),
});
