import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { epsilonOption, learningRateOption, scheduled } from './scheduled';
import { GradientList, gradientPairs, Slot, slot } from './slots';
import type { OptimizerOptions } from './types';

interface AdadeltaOptions extends OptimizerOptions {
  rho: number;
  epsilon?: number;
}

/**
 * AdaDelta as Zeiler (2012, Algorithm 1) and TensorFlow's ApplyAdadelta (the paper's code) define it: the step
 * divides by the RMS of the gradients including the current one. tfjs 4.22 divides by the previous step's
 * (its first step is then the raw gradient). Only the update differs; state, names and checkpoints are tfjs's.
 */
class Adadelta extends tf.AdadeltaOptimizer {
  override applyGradients(gradients: GradientList): void {
    const state = this as unknown as {
      accumulatedGrads: Slot[];
      accumulatedUpdates: Slot[];
      rho: number;
      epsilon: number;
      learningRate: number;
    };
    const { rho, epsilon, learningRate } = state;
    gradientPairs(gradients).forEach(([name, gradient], i) => {
      const value = tf.engine().registeredVariables[name];
      const meanSquare = slot(state.accumulatedGrads, i, value, 'accum_grad');
      const meanSquareUpdate = slot(state.accumulatedUpdates, i, value, 'accum_var');
      if (!gradient) return;
      tf.tidy(() => {
        const newMeanSquare = tf.add(tf.mul(meanSquare, rho), tf.mul(tf.square(gradient), 1 - rho));
        const update = tf.mul(tf.div(tf.sqrt(tf.add(meanSquareUpdate, epsilon)), tf.sqrt(tf.add(newMeanSquare, epsilon))), gradient);
        meanSquare.assign(newMeanSquare);
        meanSquareUpdate.assign(tf.add(tf.mul(meanSquareUpdate, rho), tf.mul(tf.square(update), 1 - rho)));
        value.assign(tf.sub(value, tf.mul(update, learningRate)));
      });
    });
    this.incrementIterations();
  }
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
  build: ({ lr, rho, epsilon }) => scheduled(new Adadelta(lr, rho, epsilon)),
});
