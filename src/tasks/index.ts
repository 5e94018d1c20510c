import type { ExperimentConfig } from '../config';
import { loadClassificationTask } from './classification/classification-task';
import { loadDetectionTask } from './detection/detection-task';
import type { Task } from './task';

export type { Task, TaskEvaluation, TaskLog, TaskStepResult } from './task';

/** The config's task with its data loaded; calling the result builds the model (it draws from Math.random). */
export function loadTask(config: ExperimentConfig, context: { cwd: string; seed: number }): Promise<() => Task> {
  return config.task === 'detection' ? loadDetectionTask(config, context) : loadClassificationTask(config, context);
}
