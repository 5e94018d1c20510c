import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';

type NamedTensor = { name: string; tensor: tf.Tensor };

const PREFIX = 'hidden/';

/**
 * The optimizer's state that `getWeights` leaves out: every tf.Variable it holds in a field of its own. tfjs's
 * Adam keeps the running products beta1^t and beta2^t so (accBeta1, accBeta2); `setWeights` recomputes them as
 * pow(beta, t + 1), which differs in the last bits from the product, so a resumed run would drift.
 */
export function hiddenOptimizerState(optimizer: tf.Optimizer, weights: NamedTensor[]): { names: string[]; weights: NamedTensor[] } {
  const saved = new Set(weights.map((weight) => weight.tensor));
  const fields = Object.entries(optimizer).filter(([, value]) => value instanceof tf.Variable && !saved.has(value)) as [
    string,
    tf.Variable,
  ][];
  fields.sort(([x], [y]) => x.localeCompare(y));
  return {
    names: fields.map(([name]) => name),
    weights: fields.map(([name, variable]) => ({ name: `${PREFIX}${name}`, tensor: variable })),
  };
}

/** Puts back what `hiddenOptimizerState` saved, after `setWeights` (which would otherwise recompute it). */
export function restoreHiddenOptimizerState(optimizer: tf.Optimizer, saved: NamedTensor[], file: string): void {
  for (const { name, tensor } of saved) {
    const field = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
    const variable = (optimizer as unknown as Record<string, unknown>)[field];
    if (!(variable instanceof tf.Variable) || !tf.util.arraysEqual(variable.shape, tensor.shape) || variable.dtype !== tensor.dtype)
      throw new AcafError(`${file}: optimizer state '${field}' does not fit a ${optimizer.getClassName()} optimizer`);
    variable.assign(tensor);
  }
}
