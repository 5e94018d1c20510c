import * as tf from '@tensorflow/tfjs';
import type { ActivationProvider } from '../../builders/activations/types';
import { buildWithActivations, CallSite, ModelConfig } from '../../builders/model';
import { heads, networks } from '../../registry';
import type { DetectionHead, HeadOptions } from '../heads/types';
import { BackboneOptions, backboneFeatures, FeatureLevel } from './backbone';

/** The `model` section of a detection config: the classification keys plus the head and the feature levels. */
export interface DetectorConfig extends ModelConfig {
  head: HeadOptions;
  backbone?: BackboneOptions;
}

export interface DetectorBuildContext {
  inputShape: [number, number, number];
  numClasses: number;
}

export interface Detector {
  /** Input image -> the head's raw predictions. */
  model: tf.LayersModel;
  head: DetectionHead;
  /** The backbone's feature maps the head is built on, finest first (layer name, [height, width, channels], stride). */
  features: { layer: string; shape: number[]; stride: [number, number] }[];
  /** Parameters of the backbone's layers (the classifier's, up to the feature maps); the rest are the head's. */
  backboneParams: number;
  sites: CallSite[];
}

/**
 * Classifier + head, with one activation provider for both: builds `model.network` as for classification,
 * takes its feature maps (backbone.ts), puts `model.head` on them and keeps only the layers between the input and
 * the head's output. The classifier's own top (pooling, logits) is disposed.
 */
function assembleDetector(config: DetectorConfig, context: DetectorBuildContext, activation: ActivationProvider) {
  const classifier = networks.get(config.network.type, 'model.network.type').build(config.network, { ...context, activation });
  const levels = backboneFeatures(classifier, config.backbone);
  const inputSize = context.inputShape.slice(0, 2) as [number, number];
  const head = heads
    .get(config.head.type, 'model.head.type')
    .build(config.head, { features: levels.map((level) => level.tensor), inputSize, numClasses: context.numClasses, activation });
  const model = tf.model({ name: `${classifier.name}-${config.head.type}`, inputs: classifier.inputs, outputs: head.output });
  const used = new Set(model.layers);
  const backbone = classifier.layers.filter((layer) => used.has(layer));
  for (const layer of classifier.layers) if (!used.has(layer)) layer.dispose();
  const backboneParams = backbone.reduce((sum, layer) => sum + layer.countParams(), 0);
  return { model, head, features: levels.map(describeLevel), backboneParams };
}

function describeLevel({ tensor, stride }: FeatureLevel): Detector['features'][number] {
  return { layer: tensor.sourceLayer.name, shape: tensor.shape.slice(1) as number[], stride };
}

export function buildDetector(config: DetectorConfig, context: DetectorBuildContext): Detector {
  let built: ReturnType<typeof assembleDetector> | undefined;
  const { model, sites } = buildWithActivations(config, (activation) => {
    built = assembleDetector(config, context, activation);
    return built.model;
  });
  const { head, features, backboneParams } = built!;
  return { model, head, features, backboneParams, sites };
}
