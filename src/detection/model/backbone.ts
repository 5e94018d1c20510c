import type * as tf from '@tensorflow/tfjs';
import { AcafError } from '../../errors';

/** `model.backbone`: which classifier activations become the detector's feature maps. */
export interface BackboneOptions {
  /** Take the last layer of each of the last `levels` spatial resolutions (default 3: strides 8/16/32 on most CNNs). */
  levels?: number;
  /** Or name the layers explicitly, finest first (their last output is taken). */
  layers?: string[];
}

/** Every symbolic tensor the classifier's layers produce, in creation order, which is topological order. */
function allOutputs(classifier: tf.LayersModel): tf.SymbolicTensor[] {
  // Through the nodes rather than `layer.output`, so a layer applied at several places (shared activations) is seen at each.
  const outputs = classifier.layers.flatMap((layer) => layer.inboundNodes.flatMap((node) => node.outputTensors));
  return outputs.sort((a, b) => a.id - b.id);
}

function resolutionKey(tensor: tf.SymbolicTensor): string {
  return `${tensor.shape[1]}x${tensor.shape[2]}`;
}

/**
 * Feature maps of any classifier: for each spatial resolution its 4-D tensors go through, the last one computed
 * at that resolution (the deepest features before the next down-sampling); of these, the last `levels`
 * (the coarsest), finest first. Works for every CNN without per-network code; a network whose resolutions do
 * not strictly decrease is still handled, as each resolution counts once, at its last appearance.
 */
export function backboneFeatures(classifier: tf.LayersModel, options: BackboneOptions = {}): tf.SymbolicTensor[] {
  if (options.layers?.length) return options.layers.map((name) => namedOutput(classifier, name));
  const levels = options.levels ?? 3;
  const inputKey = resolutionKey(classifier.inputs[0]);
  const lastAt = new Map<string, tf.SymbolicTensor>();
  for (const tensor of allOutputs(classifier)) {
    if (tensor.rank !== 4 || resolutionKey(tensor) === inputKey) continue;
    lastAt.delete(resolutionKey(tensor)); // re-insert so Map order follows the last appearance
    lastAt.set(resolutionKey(tensor), tensor);
  }
  const maps = [...lastAt.values()];
  if (maps.length < levels) {
    throw new AcafError(
      `model.backbone.levels: ${levels} feature levels asked, but network '${classifier.name}' has only ${maps.length} down-sampled resolutions at this input size`,
    );
  }
  return maps.slice(-levels);
}

function namedOutput(classifier: tf.LayersModel, name: string): tf.SymbolicTensor {
  const layer = classifier.layers.find((candidate) => candidate.name === name);
  if (!layer) throw new AcafError(`model.backbone.layers: network '${classifier.name}' has no layer '${name}'`);
  const outputs = layer.inboundNodes.flatMap((node) => node.outputTensors);
  const output = outputs[outputs.length - 1];
  if (output.rank !== 4) throw new AcafError(`model.backbone.layers: layer '${name}' gives a ${output.rank}-D output, not a feature map`);
  return output;
}
