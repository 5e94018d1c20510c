import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../../errors';
import { activations } from '../../registry';
import { ActivationLayer, type DefinedActivationSpec } from './activation-layer';
import type { ShareMode } from './types';

export interface ParameterSummary {
  mean: number;
  min: number;
  max: number;
  /** Number of values: 1 for network/layer sharing, channels or units otherwise. */
  size: number;
}

/** The current parameters of one adaptive activation instance (one call site, or one network-shared set). */
export interface ActivationParameterRow {
  site: string;
  type: string;
  share: ShareMode;
  parameters: Record<string, ParameterSummary>;
}

/** Every adaptive activation instance of a model with its parameters' mean, min and max, in layer order. */
export function activationParameters(model: tf.LayersModel): ActivationParameterRow[] {
  return adaptiveLayers(model).map((layer) => ({
    site: layer.name,
    type: layer.spec.type,
    share: layer.share,
    parameters: Object.fromEntries(Object.entries(layer.parameterValues()).map(([name, value]) => [name, summarise(value)])),
  }));
}

/** The model's activation layers that have learnable parameters. */
export function adaptiveLayers(model: tf.LayersModel): ActivationLayer[] {
  return model.layers.filter((layer): layer is ActivationLayer => layer instanceof ActivationLayer && layer.parameterNames.length > 0);
}

export interface CurveRange {
  from: number;
  to: number;
  points: number;
}

export const DEFAULT_CURVE_RANGE: CurveRange = { from: -5, to: 5, points: 101 };

/**
 * f(z) on an even grid. `activation` is a registered type (parameters and constants at their defaults) or a
 * built layer (its parameters' means, i.e. exactly its function for network/layer sharing); `values` overrides
 * any parameter or constant by name.
 */
export function activationCurve(
  activation: string | ActivationLayer,
  values: Record<string, number> = {},
  range: CurveRange = DEFAULT_CURVE_RANGE,
): { z: number; f: number }[] {
  const type = typeof activation === 'string' ? activation : activation.spec.type;
  const spec = activations.get(type, 'activation type').definition;
  if (!spec) {
    throw new AcafError(`activation '${type}' has no curve: it is not defined through defineActivation`);
  }
  const known = [...Object.keys(spec.parameters), ...Object.keys(spec.constants)];
  for (const name of Object.keys(values)) {
    if (!known.includes(name))
      throw new AcafError(`activation '${type}' has no parameter '${name}'; parameters: ${known.join(', ') || '(none)'}`);
  }
  if (!(range.points >= 2 && Number.isInteger(range.points) && range.from < range.to)) {
    throw new AcafError(`range must be from < to with at least 2 points, got ${range.from},${range.to},${range.points}`);
  }
  const current = typeof activation === 'string' ? currentOfSpec(spec) : currentOfLayer(activation);
  const merged = { ...current, ...values };
  const z = Array.from({ length: range.points }, (_, i) => range.from + ((range.to - range.from) * i) / (range.points - 1));
  const f = tf.tidy(() => {
    const parameters = Object.fromEntries(Object.keys(spec.parameters).map((name) => [name, tf.scalar(merged[name])]));
    const constants = Object.fromEntries(Object.keys(spec.constants).map((name) => [name, merged[name]]));
    return spec.formula(tf.tensor1d(z), parameters, constants).dataSync();
  });
  return z.map((value, i) => ({ z: value, f: f[i] }));
}

function currentOfSpec(spec: DefinedActivationSpec): Record<string, number> {
  const constants = Object.entries(spec.constants).map(([name, option]) => [name, option.default] as const);
  return { ...spec.parameters, ...Object.fromEntries(constants) };
}

function currentOfLayer(layer: ActivationLayer): Record<string, number> {
  const means = Object.entries(layer.parameterValues()).map(([name, value]) => [name, summarise(value).mean] as const);
  return { ...layer.constants, ...layer.init, ...Object.fromEntries(means) }; // init until the layer is built
}

function summarise(value: tf.Tensor): ParameterSummary {
  const values = value.dataSync();
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const item of values) {
    sum += item;
    min = Math.min(min, item);
    max = Math.max(max, item);
  }
  return { mean: sum / values.length, min, max, size: values.length };
}
