import type { ActivationOptions } from '../builders/activations/types';
import type { NetworkOptions } from '../builders/networks/types';
import type { OptimizerOptions } from '../builders/optimizers/types';
import type { ScheduleOptions } from '../builders/schedules/types';
import type { DatasetOptions } from '../data/types';
import type { MetricOptions } from '../metrics/types';

export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** One placement rule: call sites matching all of `sites` (glob on names), `layers` (index range) and `preset` use `activation`. */
export interface PlacementRule {
  sites?: string | string[];
  layers?: [number, number];
  /** A named placement from the paper, e.g. `block-ends` (see src/builders/activations/presets.ts). */
  preset?: string;
  activation: ActivationOptions;
}

/** A fully resolved experiment config: `extends` merged, `--set` applied, defaults filled in, validated. */
export interface ExperimentConfig {
  name: string;
  description?: string;
  reproduces?: string;
  seed: number;
  backend: BackendChoice;
  protocol: 'corrected' | 'paper-faithful';
  data: DatasetOptions & {
    subset?: { train?: number; test?: number };
    classes?: number[];
    augment?: Record<string, unknown>;
  };
  model: {
    network: NetworkOptions;
    activation: ActivationOptions;
    placement: PlacementRule[];
    outputSoftmax: boolean;
  };
  train: {
    epochs: number;
    batchSize: number;
    optimizer: OptimizerOptions;
    schedule: ScheduleOptions;
    weightDecay: number;
    labelSmoothing: number;
  };
  eval: { every: number; batchSize: number; window?: number; metrics: MetricOptions[] };
  output: { dir: string };
  logging: { tensorboard: boolean };
}
