import type * as tf from '@tensorflow/tfjs';
import { AcafError } from '../../errors';

/** `model.backbone`: which classifier activations become the detector's feature maps. */
export interface BackboneOptions {
  /** Output strides of the feature maps, finest first (e.g. [4, 8, 16]): each takes the resolution of nearest stride. */
  strides?: number[];
  /** Or the `levels` coarsest resolutions whose grid is at least `minGrid` cells on each side (default 3 and 4). */
  levels?: number;
  minGrid?: number;
  /** Or name the layers explicitly, finest first (their last output is taken). */
  layers?: string[];
}

/** A feature map the head is built on. */
export interface FeatureLevel {
  tensor: tf.SymbolicTensor;
  /** Input pixels per feature cell, along y and x (input size / grid size). */
  stride: [number, number];
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

function level(classifier: tf.LayersModel, tensor: tf.SymbolicTensor): FeatureLevel {
  const [height, width] = classifier.inputs[0].shape.slice(1, 3) as number[];
  return { tensor, stride: [height / tensor.shape[1]!, width / tensor.shape[2]!] };
}

/**
 * For each spatial resolution the classifier's 4-D tensors go through, the last one computed at it (the deepest
 * features before the next down-sampling), finest first. Works for every CNN without per-network code; a network
 * whose resolutions do not strictly decrease is still handled, as each resolution counts once, at its last appearance.
 */
export function resolutions(classifier: tf.LayersModel): FeatureLevel[] {
  const inputKey = resolutionKey(classifier.inputs[0]);
  const lastAt = new Map<string, tf.SymbolicTensor>();
  for (const tensor of allOutputs(classifier)) {
    if (tensor.rank !== 4 || resolutionKey(tensor) === inputKey) continue;
    lastAt.delete(resolutionKey(tensor)); // re-insert so Map order follows the last appearance
    lastAt.set(resolutionKey(tensor), tensor);
  }
  return [...lastAt.values()].map((tensor) => level(classifier, tensor));
}

const describe = (levels: FeatureLevel[]) =>
  levels.map(({ stride: [y, x] }) => (y === x ? `${+y.toFixed(2)}` : `${+y.toFixed(2)}x${+x.toFixed(2)}`));

/** The resolution whose (geometric mean) stride is nearest `stride` on a log scale, if within a factor of 1.5. */
function nearestStride(available: FeatureLevel[], stride: number): FeatureLevel | undefined {
  const distance = ({ stride: [y, x] }: FeatureLevel) => Math.abs(Math.log2(Math.sqrt(y * x) / stride));
  const best = available.reduce((a, b) => (distance(b) < distance(a) ? b : a), available[0]);
  return best && distance(best) < Math.log2(1.5) ? best : undefined;
}

/**
 * The detector's feature maps, finest first: by `layers` (names), by `strides`, or by default the `levels`
 * coarsest resolutions with at least `minGrid` x `minGrid` cells, so that a small input is not left with 2x2
 * grids (a 64-pixel input on ResNet gives strides 4, 8, 16; a 416-pixel one 8, 16, 32).
 */
export function backboneFeatures(classifier: tf.LayersModel, options: BackboneOptions = {}): FeatureLevel[] {
  if (options.layers?.length) return options.layers.map((name) => level(classifier, namedOutput(classifier, name)));
  const available = resolutions(classifier);
  const size = (classifier.inputs[0].shape.slice(1, 3) as number[]).join('x');
  if (options.strides?.length) {
    const chosen = options.strides.map((stride) => {
      const found = nearestStride(available, stride);
      if (!found) {
        throw new AcafError(
          `model.backbone.strides: network '${classifier.name}' has no feature map of stride ${stride} at input ${size} (strides: ${describe(available).join(', ')})`,
        );
      }
      return found;
    });
    if (new Set(chosen).size < chosen.length) {
      throw new AcafError(
        `model.backbone.strides: ${options.strides.join(', ')} pick the same feature map twice (strides: ${describe(available).join(', ')})`,
      );
    }
    return chosen.sort((a, b) => b.tensor.shape[1]! - a.tensor.shape[1]!);
  }
  const levels = options.levels ?? 3;
  const minGrid = options.minGrid ?? 4;
  const large = available.filter(({ tensor }) => Math.min(tensor.shape[1]!, tensor.shape[2]!) >= minGrid);
  if (large.length < levels) {
    throw new AcafError(
      `model.backbone.levels: ${levels} feature levels asked, but network '${classifier.name}' has only ${large.length} down-sampled resolutions of at least ${minGrid}x${minGrid} at input ${size} (strides: ${describe(available).join(', ') || 'none'}); lower model.backbone.minGrid or levels, or give strides`,
    );
  }
  return large.slice(-levels);
}

function namedOutput(classifier: tf.LayersModel, name: string): tf.SymbolicTensor {
  const layer = classifier.layers.find((candidate) => candidate.name === name);
  if (!layer) throw new AcafError(`model.backbone.layers: network '${classifier.name}' has no layer '${name}'`);
  const outputs = layer.inboundNodes.flatMap((node) => node.outputTensors);
  const output = outputs[outputs.length - 1];
  if (output.rank !== 4) throw new AcafError(`model.backbone.layers: layer '${name}' gives a ${output.rank}-D output, not a feature map`);
  return output;
}
