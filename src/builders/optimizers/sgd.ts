import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { learningRateOption, scheduled } from './scheduled';
import type { OptimizerOptions } from './types';

optimizers.register<OptimizerOptions>({
  name: 'sgd',
  description: "plain stochastic gradient descent (the paper's code: GradientDescentOptimizer)",
  options: { lr: learningRateOption(0.01) },
  build: ({ lr }) => scheduled(tf.train.sgd(lr)),
});
