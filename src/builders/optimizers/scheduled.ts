import * as tf from '@tensorflow/tfjs';
import type { JsonSchema } from '../../registry';
import type { ScheduledOptimizer } from './types';

/** The `lr` option every optimizer plugin shares: the base learning rate that schedules scale. */
export function learningRateOption(defaultLr: number): JsonSchema {
  return { type: 'number', exclusiveMinimum: 0, default: defaultLr, description: 'base learning rate (schedules scale it)' };
}

/** `epsilon` shared by the adaptive optimizers; omitted means tfjs's backend epsilon (1e-7 on cpu). */
export const epsilonOption: JsonSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  description: "added to denominators for stability; omitted: the backend's epsilon (1e-7)",
};

/**
 * Wraps a tfjs optimizer so schedules can change its learning rate between steps. SGD and Momentum cache
 * `-lr` as a tensor and must go through their own `setLearningRate`; Adagrad, Adadelta, Adam and RMSProp read
 * the plain `learningRate` field on every step, so assigning it is enough.
 */
export function scheduled(optimizer: tf.Optimizer): ScheduledOptimizer {
  const withSetter = optimizer as tf.Optimizer & { setLearningRate?: (lr: number) => void };
  const setLearningRate = withSetter.setLearningRate
    ? (lr: number) => withSetter.setLearningRate!(lr)
    : (lr: number) => {
        (optimizer as unknown as { learningRate: number }).learningRate = lr;
      };
  return { optimizer, setLearningRate };
}
