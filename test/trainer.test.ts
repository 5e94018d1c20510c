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

/** One tiny config per task: the trainer is the same code for both. */
const configs: Record<string, Record<string, unknown> & { train: Record<string, unknown> & { epochs: number } }> = {
  classification: {
    data: { type: 'synthetic', shape: [8, 8, 1], classCount: 3, train: 64, test: 32 },
    model: { network: { type: 'mlp', hiddenUnits: [8] }, activation: { type: 'at' } },
    train: {
      epochs: 3,
      batchSize: 16,
      optimizer: { type: 'adam' },
      weightDecay: 1e-4,
      schedule: { type: 'cosine', warmup: { epochs: 1 } },
    },
  },
  detection: {
    task: 'detection',
    data: { type: 'shapes', images: 10, size: 32, maxShapes: 2, inputSize: 32 },
    model: {
      network: { type: 'resnet18', variant: 'standard', widthMultiplier: 0.125 },
      activation: { type: 'at' },
      backbone: { levels: 2 },
      head: { type: 'yolov3', width: 8, anchors: [[[6, 6]], [[12, 12]]] },
    },
    train: { epochs: 2, batchSize: 4, optimizer: { type: 'adam' }, weightDecay: 1e-4 },
  },
};

test.each(Object.keys(configs))(
  '%s: no tensor leaks: the tensor count is the same after every epoch, and back to the start after the run; Math.random restored',
  async (task) => {
    await tf.setBackend('cpu');
    const config = validateConfig(
      { name: `leaks-${task}`, backend: 'cpu', output: { dir: path.join(work, 'runs') }, ...configs[task] },
      new Map(),
    );
    const originalRandom = Math.random;
    const before = tf.memory().numTensors;
    const perEpoch: number[] = [];
    const quiet = (): void => undefined;
    const reporter: ProgressReporter = {
      start: quiet,
      step: quiet,
      evaluating: quiet,
      warn: quiet,
      finish: quiet,
      epoch: () => perEpoch.push(tf.memory().numTensors),
    };
    const dir = await runExperiment(config, { reporter });
    const { epochs } = configs[task].train;
    expect(perEpoch).toHaveLength(epochs);
    expect(new Set(perEpoch).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.random).toBe(originalRandom);
    expect(fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(epochs + 1);
  },
);
