import * as tf from '@tensorflow/tfjs';
import type { PlacementRule } from '../config/types';
import { activations, networks } from '../registry';
import { assignActivations } from './activations/placement';
import type { ActivationOptions, ActivationProvider } from './activations/types';
import type { NetworkOptions } from './networks/types';

/** The `model` section of a config. */
export interface ModelConfig {
  network: NetworkOptions;
  activation: ActivationOptions;
  placement?: PlacementRule[];
}

export interface ModelBuildContext {
  inputShape: [number, number, number];
  numClasses: number;
}

/** One activation call site, in the order the network asked for them. */
export interface CallSite {
  index: number;
  name: string;
  activationType: string;
}

export interface BuiltModel {
  model: tf.LayersModel;
  sites: CallSite[];
}

/**
 * Builds `model.network`, giving every activation call site `model.activation` or the activation of the last
 * placement rule selecting it. Parameter sets with `share: network` are one layer reused at every site it serves.
 */
export function buildModel(config: ModelConfig, context: ModelBuildContext): BuiltModel {
  const network = networks.get(config.network.type, 'model.network.type');
  return buildWithActivations(config, (activation) => network.build(config.network, { ...context, activation }));
}

/**
 * `buildModel` for any model that takes every activation from a provider, e.g. a detector (backbone plus head),
 * so placement rules and sharing reach all its call sites. `buildNetwork` may be called twice (see placedActivations).
 */
export function buildWithActivations(config: ModelConfig, buildNetwork: (activation: ActivationProvider) => tf.LayersModel): BuiltModel {
  const rules = config.placement ?? [];
  const activationAt = rules.length ? placedActivations(buildNetwork, config, rules) : () => config.activation;

  const sites: CallSite[] = [];
  const sharedLayers = new Map<string, tf.layers.Layer>();
  const model = buildNetwork((name) => {
    if (sites.some((site) => site.name === name)) {
      throw new Error(`network '${config.network.type}' has two activation call sites named '${name}'; names must be unique`);
    }
    const options = activationAt(name, sites.length);
    sites.push({ index: sites.length, name, activationType: options.type });
    return options.share === 'network' && isAdaptive(options.type)
      ? sharedLayer(options, sharedLayers)
      : activations.get(options.type, 'model.activation.type').build(options, { site: name });
  });
  return { model, sites };
}

/**
 * Rules may count sites from the end or look at all of them (presets), so a first build with identity layers
 * (disposed at once) learns every site's name before the real build.
 */
function placedActivations(
  buildNetwork: (activation: ActivationProvider) => tf.LayersModel,
  config: ModelConfig,
  rules: PlacementRule[],
): (name: string, index: number) => ActivationOptions {
  const names: string[] = [];
  buildNetwork((name) => {
    names.push(name);
    return tf.layers.activation({ activation: 'linear', name });
  }).dispose();
  const assigned = assignActivations(names, config.activation, rules);
  return (name, index) => {
    if (names[index] !== name) {
      throw new Error(
        `network '${config.network.type}' named call site ${index} '${names[index]}', then '${name}': builds must be repeatable`,
      );
    }
    return assigned[index];
  };
}

/** Activations without learnable parameters ignore `share`; plugins not defined through defineActivation are assumed adaptive. */
function isAdaptive(type: string): boolean {
  const spec = activations.has(type) ? activations.get(type).definition : undefined;
  return !spec || Object.keys(spec.parameters).length > 0;
}

/** One layer per distinct set of options, named `shared.<type>` (`shared.<type>.2`... for further sets). */
function sharedLayer(options: ActivationOptions, layers: Map<string, tf.layers.Layer>): tf.layers.Layer {
  const key = canonicalJson(options);
  let layer = layers.get(key);
  if (!layer) {
    const base = `shared.${options.type}`;
    const sameType = [...layers.values()].filter((existing) => existing.name === base || existing.name.startsWith(`${base}.`)).length;
    const site = sameType ? `${base}.${sameType + 1}` : base;
    layer = activations.get(options.type, 'model.activation.type').build(options, { site });
    layers.set(key, layer);
  }
  return layer;
}

/** JSON with object keys sorted, so the same options written in another order are the same set. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
