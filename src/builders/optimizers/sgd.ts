import * as tf from '@tensorflow/tfjs';
import { sgdUpdate } from 'tfjs-wasm-training';
import { optimizers } from '../../registry';
import { learningRateOption, scheduled } from './scheduled';
import { GradientList, gradientPairs } from './slots';
import type { OptimizerOptions } from './types';

/**
 * tfjs's SGD with all weights updated by one op (sgdUpdate: one kernel call where the backend fuses it, tfjs's own
 * formula elsewhere) instead of two ops per weight. State, names and checkpoints are tfjs's.
 */
class Sgd extends tf.SGDOptimizer {
  override applyGradients(gradients: GradientList): void {
    const updated = gradientPairs(gradients).filter((pair): pair is [string, tf.Tensor] => pair[1] !== undefined && pair[1] !== null);
    const variables = updated.map(([name]) => tf.engine().registeredVariables[name]);
    tf.tidy(() => {
      const values = sgdUpdate(
        variables,
        updated.map(([, gradient]) => gradient),
        this.learningRate,
      );
      variables.forEach((variable, i) => variable.assign(values[i]));
    });
    this.incrementIterations();
  }
}

optimizers.register<OptimizerOptions>({
  name: 'sgd',
  description: "plain stochastic gradient descent (the paper's code: GradientDescentOptimizer)",
  options: { lr: learningRateOption(0.01) },
  build: ({ lr }) => scheduled(new Sgd(lr)),
});
