import * as tf from '@tensorflow/tfjs';
import { defineComposedOps, runOp } from './composed-ops';

/**
 * Optimizer updates of all of a model's weights in one kernel call. tfjs's SGD and Momentum run two to four ops per
 * weight (a ResNet or GoogLeNet step: several hundred ops of 10-30 us of engine time each, mostly on small vectors);
 * these ops take every weight at once: inputs value0, gradient0 (and accumulation0), value1, ...; outputs the new
 * values (then the new accumulations), each computed with tfjs's formulas, so a backend without the fused kernel
 * computes the same numbers as its ops.
 */
export const SGD_UPDATE = 'AcafSgdUpdate';
export const MOMENTUM_UPDATE = 'AcafMomentumUpdate';

/** How many weights an update op's inputs hold (value0 ... value{n-1}). */
export function weightCount(inputs: tf.NamedTensorInfoMap): number {
  let count = 0;
  while (inputs[`value${count}`]) count++;
  return count;
}

const indices = (count: number) => Array.from({ length: count }, (_, i) => i);

defineComposedOps({
  // tfjs's SGDOptimizer: value + (-lr) * gradient
  [SGD_UPDATE]: (inputs, { learningRate }) => {
    const step = tf.scalar(-(learningRate as number));
    return indices(weightCount(inputs)).map((i) => tf.add(tf.mul(step, inputs[`gradient${i}`]), inputs[`value${i}`]));
  },
  // tfjs's MomentumOptimizer
  [MOMENTUM_UPDATE]: (inputs, { learningRate, momentum, nesterov }) => {
    const [step, decay] = [tf.scalar(-(learningRate as number)), tf.scalar(momentum as number)];
    const updates = indices(weightCount(inputs)).map((i) => {
      const gradient = inputs[`gradient${i}`];
      const accumulation = tf.add(tf.mul(decay, inputs[`accumulation${i}`]), gradient);
      const direction = nesterov ? tf.add(gradient, tf.mul(accumulation, decay)) : accumulation;
      return { value: tf.add(tf.mul(step, direction), inputs[`value${i}`]), accumulation };
    });
    return [...updates.map(({ value }) => value), ...updates.map(({ accumulation }) => accumulation)];
  },
});

const named = (prefix: string, tensors: tf.Tensor[]) => Object.fromEntries(tensors.map((tensor, i) => [`${prefix}${i}`, tensor]));

/** The weights after a plain SGD step: value - learningRate * gradient, for each (value, gradient) pair. */
export function sgdUpdate(values: tf.Tensor[], gradients: tf.Tensor[], learningRate: number): tf.Tensor[] {
  if (values.length === 0) return [];
  return runOp(SGD_UPDATE, { ...named('value', values), ...named('gradient', gradients) }, { learningRate });
}

export interface MomentumSettings {
  learningRate: number;
  momentum: number;
  nesterov: boolean;
}

/** The weights and accumulations after a Momentum step (tfjs's MomentumOptimizer's formulas). */
export function momentumUpdate(
  values: tf.Tensor[],
  gradients: tf.Tensor[],
  accumulations: tf.Tensor[],
  settings: MomentumSettings,
): { values: tf.Tensor[]; accumulations: tf.Tensor[] } {
  if (values.length === 0) return { values: [], accumulations: [] };
  const inputs = { ...named('value', values), ...named('gradient', gradients), ...named('accumulation', accumulations) };
  const outputs = runOp(MOMENTUM_UPDATE, inputs, { ...settings });
  return { values: outputs.slice(0, values.length), accumulations: outputs.slice(values.length) };
}
