import { selectBackend } from '../backends';
import { activationParameters } from '../builders/activations/inspect';
import { buildSchedule } from '../builders/schedules/warmup';
import type { ExperimentConfig } from '../config';
import { optimizers } from '../registry';
import { loadTask } from '../tasks';
import { SeededMathRandom } from './random';
import type { TrainingSession } from './session';
import { warmStart } from './warm-start';

/**
 * Builds everything a run needs from its config: backend, data, model, optimizer, schedule. Runs before any run
 * directory exists, so a missing dataset or a bad plugin option never leaves a half-made run behind.
 * Installs the seeded Math.random (initialisers draw from it); the caller restores it with `session.random.restore()`.
 */
export async function prepareSession(config: ExperimentConfig, cwd = process.cwd()): Promise<TrainingSession> {
  const backend = await selectBackend(config.backend, { training: true });
  const buildTask = await loadTask(config, { cwd, seed: config.seed });
  const random = new SeededMathRandom(config.seed);
  try {
    const task = buildTask();
    const warmStarted = config.model.init ? warmStart(task.model, config.model.init, cwd) : undefined;
    const { epochs } = config.train;
    const optimizer = optimizers.get(config.train.optimizer.type, 'train.optimizer.type').build(config.train.optimizer, undefined);
    const schedule = buildSchedule(config.train.schedule, { baseLr: config.train.optimizer.lr, epochs, stepsPerEpoch: task.stepsPerEpoch });
    return {
      config,
      backend,
      task,
      optimizer,
      schedule,
      random,
      activationRows: () => activationParameters(task.model),
      warmStart: warmStarted,
    };
  } catch (error) {
    random.restore();
    throw error;
  }
}
