import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { validateConfig } from '../src/config/validate';
import type { ProgressReporter } from '../src/trainers/progress';
import { runExperiment } from '../src/trainers/run-experiment';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-trainer-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('no tensor leaks: the tensor count is the same after every epoch, and back to the start after the run; Math.random restored', async () => {
  await tf.setBackend('cpu');
  const config = validateConfig(
    {
      name: 'leaks',
      backend: 'cpu',
      data: { type: 'synthetic', shape: [8, 8, 1], classCount: 3, train: 64, test: 32 },
      model: { network: { type: 'mlp', hiddenUnits: [8] }, activation: { type: 'at' } },
      train: { epochs: 3, batchSize: 16, optimizer: { type: 'adam' }, weightDecay: 1e-4, schedule: { type: 'cosine', warmup: { epochs: 1 } } },
      output: { dir: path.join(work, 'runs') },
    },
    new Map(),
  );
  const originalRandom = Math.random;
  const before = tf.memory().numTensors;
  const perEpoch: number[] = [];
  const quiet = (): void => undefined;
  const reporter: ProgressReporter = { start: quiet, step: quiet, warn: quiet, finish: quiet, epoch: () => perEpoch.push(tf.memory().numTensors) };
  const dir = await runExperiment(config, { reporter });
  expect(perEpoch).toHaveLength(3);
  expect(new Set(perEpoch).size).toBe(1);
  expect(tf.memory().numTensors).toBe(before);
  expect(Math.random).toBe(originalRandom);
  expect(fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
});
