import { selectBackend, type BackendSelection } from '../backends';
import type { BackendName } from '../backends/types';
import { activationParameters } from '../builders/activations/inspect';
import { buildSchedule } from '../builders/schedules/warmup';
import type { ExperimentConfig } from '../config';
import { optimizers } from '../registry';
import {
  formatBytes,
  memoryLimitOf,
  planFromConfig,
  planTrainingMemory,
  refuseIfOverLimit,
  type TrainingMemoryPlan,
} from '../memory/config-memory';
import { loadTask } from '../tasks';
import { SeededMathRandom } from './random';
import type { TrainingSession } from './session';
import { warmStart } from './warm-start';

/**
 * Builds everything a run needs from its config: backend, data, model, optimizer, schedule. Runs before any run
 * directory exists, so a missing dataset or a bad plugin option never leaves a half-made run behind. A training step
 * its backend cannot hold (wasm's heap, the machine's memory) is refused, naming `configFile`
 * (src/memory/config-memory.ts).
 * Installs the seeded Math.random (initialisers draw from it); the caller restores it with `session.random.restore()`.
 */
export async function prepareSession(config: ExperimentConfig, cwd = process.cwd(), configFile = config.name): Promise<TrainingSession> {
  const { backend, plan } = await backendForStep(config, configFile);
  const buildTask = await loadTask(config, { cwd, seed: config.seed });
  const random = new SeededMathRandom(config.seed);
  try {
    const task = buildTask();
    try {
      const limit = memoryLimitOf(backend.name);
      if (limit && !plan)
        refuseIfOverLimit(await planTrainingMemory(config, task.model, inputShapeOf(task.model), limit), config, configFile);
      const warmStarted = config.model.init ? warmStart(task.model, config.model.init, cwd) : undefined;
      const { epochs } = config.train;
      const optimizer = optimizers.get(config.train.optimizer.type, 'train.optimizer.type').build(config.train.optimizer, undefined);
      const schedule = buildSchedule(config.train.schedule, {
        baseLr: config.train.optimizer.lr,
        epochs,
        stepsPerEpoch: task.stepsPerEpoch,
      });
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
      // A refused heap, a bad warm-start file or optimizer: the model built for the run goes with it.
      task.model.dispose();
      throw error;
    }
  } catch (error) {
    random.restore();
    throw error;
  }
}

function inputShapeOf(model: { inputs: { shape: (number | null)[] }[] }): [number, number, number] {
  return model.inputs[0].shape.slice(1) as [number, number, number];
}

/**
 * The run's backend and, where the dataset's options give its geometry, the memory plan for it: a training step the
 * backend cannot hold is refused here, before the data loads (else once the model is built). Under `backend: auto` a
 * step wasm's heap cannot hold goes to the next backend of the auto order instead (onednn where built), and the
 * reason says so.
 */
async function backendForStep(
  config: ExperimentConfig,
  configFile: string,
): Promise<{ backend: BackendSelection; plan?: TrainingMemoryPlan }> {
  let backend = await selectBackend(config.backend, { training: true });
  let plan = await planOn(backend.name, config);
  if (plan && !plan.fits && config.backend === 'auto' && backend.name === 'wasm') {
    const reason = `a training step needs an estimated ${formatBytes(plan.estimate.bytes)}, more than ${plan.limit.name}`;
    backend = await selectBackend('auto', { training: true, passOver: { name: 'wasm', reason } });
    plan = await planOn(backend.name, config);
  }
  if (plan) refuseIfOverLimit(plan, config, configFile);
  return { backend, plan };
}

async function planOn(backend: BackendName, config: ExperimentConfig): Promise<TrainingMemoryPlan | undefined> {
  const limit = memoryLimitOf(backend);
  return limit ? planFromConfig(config, limit) : undefined;
}
