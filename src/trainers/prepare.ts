import { selectBackend } from '../backends';
import { activationParameters } from '../builders/activations/inspect';
import { buildSchedule } from '../builders/schedules/warmup';
import type { ExperimentConfig } from '../config';
import { optimizers } from '../registry';
import { planFromConfig, planTrainingMemory, refuseIfOverWasmHeap } from '../memory/config-memory';
import { loadTask } from '../tasks';
import { SeededMathRandom } from './random';
import type { TrainingSession } from './session';
import { warmStart } from './warm-start';

/**
 * Builds everything a run needs from its config: backend, data, model, optimizer, schedule. Runs before any run
 * directory exists, so a missing dataset or a bad plugin option never leaves a half-made run behind. On the wasm
 * backend a training step that cannot fit its heap is refused, naming `configFile` (src/memory/config-memory.ts).
 * Installs the seeded Math.random (initialisers draw from it); the caller restores it with `session.random.restore()`.
 */
export async function prepareSession(config: ExperimentConfig, cwd = process.cwd(), configFile = config.name): Promise<TrainingSession> {
  const backend = await selectBackend(config.backend, { training: true });
  // The wasm heap cannot grow past 4 GiB: a step that cannot fit is refused before the data loads, where the
  // dataset's options give its geometry, else once the model is built.
  const onWasm = backend.name === 'wasm';
  const earlyPlan = onWasm ? await planFromConfig(config) : undefined;
  if (earlyPlan) refuseIfOverWasmHeap(earlyPlan, config, configFile);
  const buildTask = await loadTask(config, { cwd, seed: config.seed });
  const random = new SeededMathRandom(config.seed);
  try {
    const task = buildTask();
    try {
      if (onWasm && !earlyPlan)
        refuseIfOverWasmHeap(await planTrainingMemory(config, task.model, inputShapeOf(task.model)), config, configFile);
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
