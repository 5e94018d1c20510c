import type { BackendSelection } from '../backends';
import type { ScheduledOptimizer } from '../builders/optimizers/types';
import type { LearningRateSchedule } from '../builders/schedules/types';
import type { ExperimentConfig } from '../config';
import type { ActivationRow } from '../run-directory';
import type { Task } from '../tasks';
import type { SeededMathRandom } from './random';
import type { WarmStartReport } from './warm-start';

/** Everything a run is built from, ready before any run directory exists. */
export interface TrainingSession {
  config: ExperimentConfig;
  backend: BackendSelection;
  /** What is trained (its `model` is what checkpoints save and restore). */
  task: Task;
  optimizer: ScheduledOptimizer;
  schedule: LearningRateSchedule;
  /** The seeded Math.random installed for the run. */
  random: SeededMathRandom;
  activationRows(): ActivationRow[];
  /** What `model.init` loaded into the model, when the config has one. */
  warmStart?: WarmStartReport;
}
