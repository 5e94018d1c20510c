import type { BackendName } from '../backends/types';
import type { ActivationOptions } from '../builders/activations/types';
import type { NetworkOptions } from '../builders/networks/types';
import type { OptimizerOptions } from '../builders/optimizers/types';
import type { ScheduleOptions } from '../builders/schedules/types';
import type { DatasetOptions } from '../data/types';
import type { MetricOptions } from '../metrics/types';
import type { DetectionDatasetOptions } from '../detection/datasets/types';
import type { BackboneOptions } from '../detection/model/backbone';
import type { HeadOptions } from '../detection/heads/types';
import type { LauncherConfig } from './launcher';

export type BackendChoice = 'auto' | BackendName;

/** One placement rule: call sites matching all of `sites` (glob on names), `layers` (index range) and `preset` use `activation`. */
export interface PlacementRule {
  sites?: string | string[];
  layers?: [number, number];
  /** A named placement from the paper, e.g. `block-ends` (see src/builders/activations/presets.ts). */
  preset?: string;
  activation: ActivationOptions;
}

/** The keys every task's resolved config has. */
interface ExperimentCommon {
  name: string;
  description?: string;
  reproduces?: string;
  seed: number;
  backend: BackendChoice;
  model: {
    network: NetworkOptions;
    activation: ActivationOptions;
    placement: PlacementRule[];
    /** Start from saved weights (matched by name) instead of the initialisers. */
    init?: { from: string; strict: boolean };
  };
  train: {
    epochs: number;
    batchSize: number;
    /** Micro-batches per optimizer step (gradient accumulation); divides batchSize. */
    accumulate: number;
    optimizer: OptimizerOptions;
    schedule: ScheduleOptions;
    weightDecay: number;
  };
  eval: { every: number; batchSize: number };
  output: { dir: string };
  launcher?: LauncherConfig;
  logging: { tensorboard: boolean };
}

/** A fully resolved classification config: `extends` merged, `--set` applied, defaults filled in, validated. */
export interface ClassificationExperimentConfig extends ExperimentCommon {
  task: 'classification';
  protocol: 'corrected' | 'paper-faithful';
  data: DatasetOptions & {
    subset?: { train?: number; test?: number };
    classes?: number[];
    augment?: Record<string, unknown>;
  };
  model: ExperimentCommon['model'] & { outputSoftmax: boolean };
  train: ExperimentCommon['train'] & { labelSmoothing: number; dropLastBatch: boolean };
  eval: ExperimentCommon['eval'] & { window?: number; metrics: MetricOptions[] };
}

/** A fully resolved detection config (`task: detection`): detection data, and a head on the network. */
export interface DetectionExperimentConfig extends ExperimentCommon {
  task: 'detection';
  protocol?: undefined;
  data: DetectionDatasetOptions;
  model: ExperimentCommon['model'] & { head: HeadOptions; backbone: BackboneOptions };
}

export type ExperimentConfig = ClassificationExperimentConfig | DetectionExperimentConfig;
