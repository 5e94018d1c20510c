import type * as tf from '@tensorflow/tfjs';
import type { ActivationProvider } from '../activations/types';
import type { TestStatistics } from './layers/batch-norm';

export interface NetworkOptions {
  type: string;
  [option: string]: unknown;
}

/** What a network plugin needs beyond its own options. */
export interface NetworkBuildContext {
  /** [height, width, channels] of one input image. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Every activation call site must get its layer from here, so `model.activation` reaches all of them. */
  activation: ActivationProvider;
}

/**
 * Networks return a functional tfjs model whose output is logits of shape [batch, numClasses]. The one exception is
 * `googlenet` with `auxHeads: true`: outputs 2 and 3 are the auxiliary classifiers' logits (for training losses).
 */
export type BuiltNetwork = tf.LayersModel;

/**
 * What the authors' code did with this network that `protocol: paper-faithful` reproduces for its `paper` variant
 * (docs/paper.md section 7). A network that declares nothing gets no network quirk.
 */
export interface PaperQuirks {
  /** The last layer is a softmax whose output goes into a from-logits loss (the "double softmax"). */
  outputSoftmax?: boolean;
  /** The statistics batch norm uses at test time. */
  bnTestStatistics?: TestStatistics;
}

/** What a network plugin declares beside building. */
export interface NetworkTraits {
  paperQuirks?: PaperQuirks;
}
