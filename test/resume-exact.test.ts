import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { validateConfig } from '../src/config/validate';
import { optimizers, schedules } from '../src/registry';
import type { ProgressReporter, StepProgress } from '../src/trainers/progress';
import { runExperiment } from '../src/trainers/run-experiment';

/**
 * Exact resume, driven by the registries: every optimizer and every schedule is interrupted mid-epoch (and at an
 * epoch's end), resumed into freshly built objects, and must end bit for bit where an uninterrupted run ends:
 * the same metrics.csv (apart from `seconds`), weights and optimizer state. A new plugin is tested with no change here.
 */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-resume-exact-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
beforeAll(() => tf.setBackend('cpu'));

/** Options that make a schedule change the rate within these 3 epochs (the defaults' milestones are at 70 and 100). */
const scheduleOptions: Record<string, Record<string, unknown>> = { step: { milestones: [1, 2], gamma: 0.5 } };

function config(name: string, optimizer: string, schedule: string, accumulate = 1) {
  return validateConfig(
    {
      name,
      backend: 'cpu',
      seed: 3,
      output: { dir: path.join(work, 'runs') },
      data: { type: 'synthetic', shape: [4, 4, 1], classCount: 3, train: 24, test: 12, augment: { flip: true } },
      model: { network: { type: 'mlp', hiddenUnits: [6], dropout: 0.25 }, activation: { type: 'at' } },
      train: {
        epochs: 3,
        batchSize: 8,
        accumulate,
        optimizer: { type: optimizer },
        schedule: { type: schedule, ...scheduleOptions[schedule], warmup: { epochs: 1 } },
      },
      eval: { metrics: [{ type: 'accuracy' }] },
    },
    new Map(),
  );
}

const quiet = (): void => undefined;
/** A reporter that calls `stop` when training reaches `when` (epoch, step) or ends epoch `when.epoch` (step 0). */
function reporterStoppingAt(when: { epoch: number; step: number } | undefined, stop: () => void): ProgressReporter {
  return {
    start: quiet,
    evaluating: quiet,
    warn: quiet,
    finish: quiet,
    step: (progress: StepProgress) => {
      if (when && when.step > 0 && progress.epoch === when.epoch && progress.step === when.step) stop();
    },
    epoch: (record) => {
      if (when && when.step === 0 && record.epoch === when.epoch) stop();
    },
  };
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file));
const metricsSansSeconds = (dir: string) =>
  read(dir, 'metrics.csv')
    .toString()
    .trim()
    .split('\n')
    .map((line) => line.slice(0, line.lastIndexOf(',')));

async function expectExactResume(
  name: string,
  optimizer: string,
  schedule: string,
  stopAt: { epoch: number; step: number },
  accumulate = 1,
) {
  const reference = await runExperiment(config(`${name}-reference`, optimizer, schedule, accumulate), {
    reporter: reporterStoppingAt(undefined, quiet),
  });
  const interrupted = config(name, optimizer, schedule, accumulate);
  const controller = new AbortController();
  const stopped = runExperiment(interrupted, { reporter: reporterStoppingAt(stopAt, () => controller.abort()), signal: controller.signal });
  await expect(stopped).rejects.toThrow(/interrupted during epoch/);
  const dir = fs.readdirSync(path.join(work, 'runs', name)).map((entry) => path.join(work, 'runs', name, entry))[0];
  const state = JSON.parse(read(dir, 'checkpoints/last/state.json').toString());
  expect([state.epoch, state.step]).toEqual(stopAt.step > 0 ? [stopAt.epoch - 1, stopAt.step] : [stopAt.epoch, 0]);
  await runExperiment(interrupted, { reporter: reporterStoppingAt(undefined, quiet), resume: dir });
  expect(metricsSansSeconds(dir)).toEqual(metricsSansSeconds(reference));
  for (const file of ['weights.bin', 'optimizer.bin'])
    expect(read(dir, `checkpoints/last/${file}`).equals(read(reference, `checkpoints/last/${file}`))).toBe(true);
}

test.each(optimizers.names())('optimizer %s resumes bit-exactly from the middle of epoch 2', (optimizer) =>
  expectExactResume(`optimizer-${optimizer}`, optimizer, 'cosine', { epoch: 2, step: 2 }),
);

test.each(schedules.names())('schedule %s resumes bit-exactly from the middle of epoch 2', (schedule) =>
  expectExactResume(`schedule-${schedule}`, 'adam', schedule, { epoch: 2, step: 1 }),
);

test('adam resumes bit-exactly from the end of epoch 1', () => expectExactResume('adam-boundary', 'adam', 'cosine', { epoch: 1, step: 0 }));

test('a run accumulating gradients over 4 micro-batches resumes bit-exactly from the middle of epoch 2', () =>
  expectExactResume('accumulate', 'momentum', 'cosine', { epoch: 2, step: 2 }, 4));
