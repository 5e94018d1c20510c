import * as tf from '@tensorflow/tfjs';

/** One per-variable accumulator of a tfjs optimizer, in the form its getWeights/setWeights save and restore. */
export interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** What an optimizer's applyGradients receives: gradients by variable name, as a map or a list. */
export type GradientList = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

/** The variables and gradients an optimizer's applyGradients receives, as (name, gradient) pairs in their order. */
export function gradientPairs(gradients: GradientList): [string, tf.Tensor | undefined][] {
  return Array.isArray(gradients) ? gradients.map(({ name, tensor }) => [name, tensor]) : Object.entries(gradients);
}

/** The slot of variable `index` in `slots`, created as zeros named `<variable>/<suffix>` on first use (as tfjs names them). */
export function slot(slots: Slot[], index: number, variable: tf.Variable, suffix: string): tf.Variable {
  slots[index] ??= { originalName: `${variable.name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(variable).variable(false)) };
  return slots[index].variable;
}
