import type * as tf from '@tensorflow/tfjs';
import type { BackendSelection } from '../backends';
import type { ScheduledOptimizer } from '../builders/optimizers/types';
import type { LearningRateSchedule } from '../builders/schedules/types';
import type { ExperimentConfig } from '../config';
import type { Metric } from '../metrics/types';
import type { ActivationRow } from './activations-log';
import type { SeededMathRandom } from './random';
import type { Batch } from './train-step';

/** Batches for the trainer; each epoch's train batches depend only on (seed, epoch), so epochs can be replayed. */
export interface DataSource {
  classes: string[];
  stepsPerEpoch: number;
  /** Shuffled, augmented batches of epoch `epoch` (1-based). */
  trainBatches(epoch: number): Iterable<Batch>;
  /** Test batches for the `index`-th evaluation (0-based): the whole split, or the protocol's window of it. */
  testBatches(index: number): Iterable<Batch>;
}

/** Everything a run is built from, ready before any run directory exists. */
export interface TrainingSession {
  config: ExperimentConfig;
  backend: BackendSelection;
  model: tf.LayersModel;
  optimizer: ScheduledOptimizer;
  schedule: LearningRateSchedule;
  metrics: Metric[];
  data: DataSource;
  /** The seeded Math.random installed for the run. */
  random: SeededMathRandom;
  activationRows(): ActivationRow[];
}
