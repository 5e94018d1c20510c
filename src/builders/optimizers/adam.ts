import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { epsilonOption, learningRateOption, scheduled } from './scheduled';
import type { OptimizerOptions } from './types';

interface AdamOptions extends OptimizerOptions {
  beta1: number;
  beta2: number;
  epsilon?: number;
}

const beta = (value: number, description: string) => ({
  type: 'number',
  minimum: 0,
  exclusiveMaximum: 1,
  default: value,
  description,
});

optimizers.register<AdamOptions>({
  name: 'adam',
  description: 'Adam: bias-corrected running averages of the gradient and its square',
  options: {
    // 1e-4 is the rate commented out in the paper's code.
    lr: learningRateOption(0.001),
    beta1: beta(0.9, 'decay of the first-moment average'),
    beta2: beta(0.999, 'decay of the second-moment average'),
    epsilon: epsilonOption,
  },
  build: ({ lr, beta1, beta2, epsilon }) => scheduled(tf.train.adam(lr, beta1, beta2, epsilon)),
});
