import * as tf from '@tensorflow/tfjs';

type AddWeight = (this: { fastWeightInitDuringBuild: boolean }, ...args: unknown[]) => unknown;

/**
 * Runs `build` (which builds a model) with every layer's weights created as zeros instead of drawn by their
 * initialisers: tfjs-layers' own fast-initialisation path (`fastWeightInitDuringBuild`, which it uses when weights are
 * about to be loaded), switched on for every layer built meanwhile. For a model whose shapes are all that is needed,
 * such as a memory estimate: a 500-million-weight VGG16 builds in a second instead of a minute, and Math.random is
 * not drawn from.
 */
export function withZeroWeights<T>(build: () => T): T {
  const prototype = tf.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const addWeight = prototype.addWeight;
  prototype.addWeight = function (...args) {
    this.fastWeightInitDuringBuild = true;
    return addWeight.apply(this, args);
  };
  try {
    return build();
  } finally {
    prototype.addWeight = addWeight;
  }
}
