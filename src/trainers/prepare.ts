import { selectBackend } from '../backends';
import { activationParameters } from '../builders/activations/inspect';
import { buildModel } from '../builders/model';
import { buildSchedule } from '../builders/schedules/warmup';
import type { ExperimentConfig } from '../config';
import { loadDataset } from '../data/load';
import { metrics, optimizers } from '../registry';
import { dataSource } from './data-source';
import { SeededMathRandom } from './random';
import type { TrainingSession } from './session';

/**
 * Builds everything a run needs from its config: backend, data, model, optimizer, schedule, metrics. Runs before
 * any run directory exists, so a missing dataset or a bad plugin option never leaves a half-made run behind.
 * Installs the seeded Math.random (initialisers draw from it); the caller restores it with `session.random.restore()`.
 */
export async function prepareSession(config: ExperimentConfig, cwd = process.cwd()): Promise<TrainingSession> {
  const backend = await selectBackend(config.backend, { training: true });
  const dataset = await loadDataset(config.data, { cwd, seed: config.seed });
  const random = new SeededMathRandom(config.seed);
  try {
    const { model } = buildModel(config.model, { inputShape: dataset.shape, numClasses: dataset.classes.length });
    const data = dataSource(dataset, config);
    const { epochs } = config.train;
    const optimizer = optimizers.get(config.train.optimizer.type, 'train.optimizer.type').build(config.train.optimizer, undefined);
    const schedule = buildSchedule(config.train.schedule, { baseLr: config.train.optimizer.lr, epochs, stepsPerEpoch: data.stepsPerEpoch });
    const built = config.eval.metrics.map((options) => metrics.get(options.type, 'eval.metrics.type').build(options, undefined));
    return { config, backend, model, optimizer, schedule, metrics: built, data, random, activationRows: () => activationParameters(model) };
  } catch (error) {
    random.restore();
    throw error;
  }
}
