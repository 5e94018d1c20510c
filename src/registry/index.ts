import type * as tf from '@tensorflow/tfjs';
import { Registry } from './registry';
import type { DefinedActivationSpec } from '../builders/activations/activation-layer';
import type { ActivationBuildContext, ActivationOptions } from '../builders/activations/types';
import type { NetworkBuildContext, NetworkOptions, BuiltNetwork, NetworkTraits } from '../builders/networks/types';
import type { OptimizerOptions, ScheduledOptimizer } from '../builders/optimizers/types';
import type { LearningRateSchedule, ScheduleBuildContext, ScheduleOptions } from '../builders/schedules/types';
import type { DatasetBuildContext, DatasetOptions, DatasetTraits, ImageClassificationDataset } from '../data/types';
import type { Metric, MetricOptions } from '../metrics/types';
import type { BackendPlugin } from '../backends/types';
import type { DetectionHead, HeadBuildContext, HeadOptions } from '../detection/heads/types';
import type { DetectionData, DetectionDatasetBuildContext, DetectionDatasetOptions } from '../detection/datasets/types';

export { Registry } from './registry';
export type { Plugin, JsonSchema } from './registry';

/** One registry per plugin kind. Plugins register themselves when their folder's index is imported (see plugins.ts). */
/** An activation made by defineActivation carries its `definition` (formula, parameters, constants); others have none. */
export const activations = new Registry<ActivationOptions, tf.layers.Layer, ActivationBuildContext, { definition?: DefinedActivationSpec }>(
  'activation',
  'activation functions, fixed and adaptive (model.activation)',
);
export const networks = new Registry<NetworkOptions, BuiltNetwork, NetworkBuildContext, NetworkTraits>(
  'network',
  'network architectures (model.network)',
);
export const optimizers = new Registry<OptimizerOptions, ScheduledOptimizer, void>('optimizer', 'optimizers (train.optimizer)');
export const schedules = new Registry<ScheduleOptions, LearningRateSchedule, ScheduleBuildContext>(
  'schedule',
  'learning-rate schedules (train.schedule)',
);
export const datasets = new Registry<DatasetOptions, Promise<ImageClassificationDataset>, DatasetBuildContext, DatasetTraits>(
  'dataset',
  'datasets (data)',
);
export const metrics = new Registry<MetricOptions, Metric, void>('metric', 'evaluation metrics (eval.metrics)');
export const backends = new Registry<Record<string, never>, BackendPlugin, void>('backend', 'tensorflow.js backends (backend)');
export const heads = new Registry<HeadOptions, DetectionHead, HeadBuildContext>('head', 'detection heads (model.head, task: detection)');
export const detectionDatasets = new Registry<DetectionDatasetOptions, Promise<DetectionData>, DetectionDatasetBuildContext>(
  'detection dataset',
  'detection datasets (data, task: detection)',
);

/** Every registry by its plural name, as `acaf list [kind]` shows them. */
export const registries = { activations, networks, optimizers, schedules, datasets, metrics, backends, heads, detectionDatasets } as const;
export type RegistryKind = keyof typeof registries;
