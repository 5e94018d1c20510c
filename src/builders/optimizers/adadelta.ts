import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { epsilonOption, learningRateOption, scheduled } from './scheduled';
import type { OptimizerOptions } from './types';

interface AdadeltaOptions extends OptimizerOptions {
  rho: number;
  epsilon?: number;
}

optimizers.register<AdadeltaOptions>({
  name: 'adadelta',
  description: 'AdaDelta: steps from running averages of squared gradients and squared updates',
  options: {
    // AdaDelta's update is already unit-correct; lr = 1 is the original algorithm (Zeiler 2012).
    lr: learningRateOption(1),
    rho: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'decay of the running averages' },
    epsilon: epsilonOption,
  },
  build: ({ lr, rho, epsilon }) => scheduled(tf.train.adadelta(lr, rho, epsilon)),
});
