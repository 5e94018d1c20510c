import * as tf from '@tensorflow/tfjs';
import Ajv from 'ajv';
import { networks } from '../../src/registry';
import type { NetworkOptions } from '../../src/builders/networks/types';

/** A relu activation per call site, named after it; records the sites asked for. */
export function reluProvider(sites: string[] = []) {
  return (site: string): tf.layers.Layer => {
    sites.push(site);
    return tf.layers.activation({ activation: 'relu', name: site });
  };
}

/** The network's options with the schema's defaults filled in, as config validation would (ajv strict). */
export function withDefaults(name: string, options: Record<string, unknown> = {}): NetworkOptions {
  const plugin = networks.get(name);
  const ajv = new Ajv({ strict: true, useDefaults: true });
  const value = { type: name, ...options };
  const validate = ajv.compile({ type: 'object', properties: { type: { const: name }, ...plugin.options }, additionalProperties: false });
  if (!validate(value)) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}`);
  return value;
}
