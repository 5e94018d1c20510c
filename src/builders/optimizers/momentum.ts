import * as tf from '@tensorflow/tfjs';
import { momentumUpdate } from 'tfjs-wasm-training';
import { optimizers } from '../../registry';
import { learningRateOption, scheduled } from './scheduled';
import { GradientList, gradientPairs, Slot, slot } from './slots';
import type { OptimizerOptions } from './types';

interface MomentumOptions extends OptimizerOptions {
  momentum: number;
  nesterov: boolean;
}

/**
 * tfjs's Momentum with all weights and velocities updated by one op (momentumUpdate: one kernel call where the
 * backend fuses it, tfjs's own formulas elsewhere) instead of four to six ops per weight. State, names and
 * checkpoints are tfjs's.
 */
class Momentum extends tf.MomentumOptimizer {
  override applyGradients(gradients: GradientList): void {
    const state = this as unknown as { accumulations: Slot[]; momentum: number; useNesterov: boolean };
    const updated: { variable: tf.Variable; gradient: tf.Tensor; accumulation: tf.Variable }[] = [];
    gradientPairs(gradients).forEach(([name, gradient], i) => {
      const variable = tf.engine().registeredVariables[name];
      // Created on first use whether or not this step has a gradient for it, as tfjs does.
      const accumulation = slot(state.accumulations, i, variable, 'momentum');
      if (gradient) updated.push({ variable, gradient, accumulation });
    });
    tf.tidy(() => {
      const next = momentumUpdate(
        updated.map(({ variable }) => variable),
        updated.map(({ gradient }) => gradient),
        updated.map(({ accumulation }) => accumulation),
        { learningRate: this.learningRate, momentum: state.momentum, nesterov: state.useNesterov },
      );
      updated.forEach(({ variable, accumulation }, i) => {
        accumulation.assign(next.accumulations[i]);
        variable.assign(next.values[i]);
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    super.dispose();
    // tfjs 4.22's Momentum.dispose leaves behind the learning-rate scalar its SGD base class keeps.
    (this as unknown as { c: tf.Tensor }).c.dispose();
  }
}

optimizers.register<MomentumOptions>({
  name: 'momentum',
  description: 'SGD with momentum, optionally Nesterov',
  options: {
    lr: learningRateOption(0.01),
    momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'velocity decay' },
    nesterov: { type: 'boolean', default: false, description: 'use the Nesterov look-ahead gradient' },
  },
  build: ({ lr, momentum, nesterov }) => scheduled(new Momentum(lr, momentum, nesterov)),
});
