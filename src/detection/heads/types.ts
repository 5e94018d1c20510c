import type * as tf from '@tensorflow/tfjs';

/** `model.head` options of a detection config: `type` plus the head's own options. */
export interface HeadOptions {
  type: string;
  [option: string]: unknown;
}

/** What a head is built on: the backbone's feature maps (finest first) and the task's shape. */
export interface HeadBuildContext {
  /** Backbone feature maps, NHWC, ordered from the finest (largest) to the coarsest. */
  features: tf.SymbolicTensor[];
  /** Input stride of each feature map (e.g. 8, 16, 32). */
  strides: number[];
  /** [height, width] of the network input. */
  inputSize: [number, number];
  numClasses: number;
}
