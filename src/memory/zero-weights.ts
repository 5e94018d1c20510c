import * as tf from '@tensorflow/tfjs';

type AddWeight = (this: { fastWeightInitDuringBuild: boolean }, name: string, ...rest: unknown[]) => unknown;

/** Prefixes the weights of models built by withZeroWeights (see there). */
const WEIGHT_NAME_PREFIX = 'shape-only-';

/**
 * Runs `build` (which builds a model whose shapes are all that is needed, e.g. for a memory estimate) with every
 * layer's weights created as zeros instead of drawn by their initialisers: tfjs-layers' own fast-initialisation
 * path (`fastWeightInitDuringBuild`, which it takes when weights are about to be loaded), switched on for every
 * layer built meanwhile. A 500-million-weight VGG16 builds in seconds instead of a minute, and Math.random is not
 * drawn from. The weights' names take a prefix (`fc1/shape-only-kernel`): tfjs-layers makes variable names unique
 * for the whole process, so without it the model trained next would get suffixed names (`fc1/kernel_1`).
 */
export function withZeroWeights<T>(build: () => T): T {
  const prototype = tf.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const addWeight = prototype.addWeight;
  prototype.addWeight = function (name, ...rest) {
    this.fastWeightInitDuringBuild = true;
    return addWeight.call(this, WEIGHT_NAME_PREFIX + name, ...rest);
  };
  try {
    return build();
  } finally {
    prototype.addWeight = addWeight;
  }
}
