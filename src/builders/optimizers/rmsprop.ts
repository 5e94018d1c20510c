import * as tf from '@tensorflow/tfjs';
import { optimizers } from '../../registry';
import { epsilonOption, learningRateOption, scheduled } from './scheduled';
import { GradientList, gradientPairs, Slot, slot } from './slots';
import type { OptimizerOptions } from './types';

interface RmspropOptions extends OptimizerOptions {
  decay: number;
  momentum: number;
  centered: boolean;
  epsilon?: number;
}

/**
 * RMSProp as TensorFlow's ApplyRMSProp / ApplyCenteredRMSProp (the paper's code) define it. tfjs 4.22's centered
 * variant subtracts epsilon under the square root (sqrt(ms - mg^2 - eps)) where TensorFlow adds it, which can
 * even take the root of a negative number. Only the update differs; state, names and checkpoints are tfjs's.
 */
class Rmsprop extends tf.RMSPropOptimizer {
  override applyGradients(gradients: GradientList): void {
    const state = this as unknown as {
      accumulatedMeanSquares: Slot[];
      accumulatedMeanGrads: Slot[];
      accumulatedMoments: Slot[];
      decay: number;
      momentum: number;
      epsilon: number;
      centered: boolean;
      learningRate: number;
    };
    const { decay, momentum, epsilon, centered, learningRate } = state;
    gradientPairs(gradients).forEach(([name, gradient], i) => {
      const value = tf.engine().registeredVariables[name];
      const meanSquare = slot(state.accumulatedMeanSquares, i, value, 'rms');
      const moment = slot(state.accumulatedMoments, i, value, 'momentum');
      const meanGradient = centered ? slot(state.accumulatedMeanGrads, i, value, 'mg') : undefined;
      if (!gradient) return;
      tf.tidy(() => {
        const newMeanSquare = tf.add(tf.mul(meanSquare, decay), tf.mul(tf.square(gradient), 1 - decay));
        meanSquare.assign(newMeanSquare);
        let variance: tf.Tensor = newMeanSquare;
        if (meanGradient) {
          const newMeanGradient = tf.add(tf.mul(meanGradient, decay), tf.mul(gradient, 1 - decay));
          meanGradient.assign(newMeanGradient);
          variance = tf.sub(newMeanSquare, tf.square(newMeanGradient));
        }
        const newMoment = tf.add(tf.mul(moment, momentum), tf.div(tf.mul(gradient, learningRate), tf.sqrt(tf.add(variance, epsilon))));
        moment.assign(newMoment);
        value.assign(tf.sub(value, newMoment));
      });
    });
    this.incrementIterations();
  }
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
  build: ({ lr, decay, momentum, centered, epsilon }) => scheduled(new Rmsprop(lr, decay, momentum, epsilon, centered)),
});
