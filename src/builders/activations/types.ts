import type * as tf from '@tensorflow/tfjs';

/** How many parameter sets an adaptive activation has: one for the network, per call site, per channel, per unit. */
export type ShareMode = 'network' | 'layer' | 'channel' | 'element';

/** The `model.activation` options common to every activation plugin (each plugin adds its own). */
export interface ActivationOptions {
  type: string;
  share?: ShareMode;
  [option: string]: unknown;
}

/** What an activation plugin is told when it builds the layer for one call site. */
export interface ActivationBuildContext {
  /** Stable call-site name, e.g. `block3.unit2.act1`; used as the layer name. */
  site: string;
}

/** Gives networks the activation layer for each call site, applying sharing and placement rules. */
export type ActivationProvider = (site: string) => tf.layers.Layer;
