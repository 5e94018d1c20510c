import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { validateConfig } from '../src/config/validate';
import { makeSyntheticDataset } from '../src/data/synthetic';
import type { ProgressReporter } from '../src/trainers/progress';
import { runExperiment } from '../src/trainers/run-experiment';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-eval-window-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const quiet = (): void => undefined;
const reporter: ProgressReporter = { start: quiet, step: quiet, evaluating: quiet, epoch: quiet, warn: quiet, finish: quiet };
const data = { shape: [4, 4, 1] as [number, number, number], classCount: 3, train: 24, test: 30, noise: 40 };
const seed = 7;
const window = 12;

/** Per true class, how many images the run's last evaluation saw: confusion.csv's row sums. */
function evaluatedPerClass(dir: string): number[] {
  const [, ...rows] = fs.readFileSync(path.join(dir, 'confusion.csv'), 'utf8').trim().split('\n');
  return rows.map((row) =>
    row
      .split(',')
      .slice(1)
      .map(Number)
      .reduce((sum, count) => sum + count, 0),
  );
}

/** The oracle: the labels of test images [from, from + window) of the same synthetic split, counted per class. */
function windowPerClass(from: number): number[] {
  const labels = makeSyntheticDataset(data, seed).test.labels;
  const counts = new Array<number>(data.classCount).fill(0);
  for (let i = from; i < from + window; i++) counts[labels[i % labels.length]]++;
  return counts;
}

// Regression: with eval.every beyond train.epochs the last epoch's evaluation asked for window -1, whose labels all read 0.
test.each([
  { every: 5, epochs: 2, lastWindow: 0 },
  { every: 2, epochs: 3, lastWindow: 1 },
])(
  'eval.window with every $every over $epochs epochs: the last evaluation scores window $lastWindow with its real labels',
  async ({ every, epochs, lastWindow }) => {
    await tf.setBackend('cpu');
    const config = validateConfig(
      {
        name: `window-${every}-${epochs}`,
        backend: 'cpu',
        seed,
        output: { dir: path.join(work, 'runs') },
        data: { type: 'synthetic', ...data },
        model: { network: { type: 'mlp', hiddenUnits: [4] }, activation: { type: 'relu' } },
        train: { epochs, batchSize: 8, optimizer: { type: 'sgd' } },
        eval: { every, window, metrics: [{ type: 'accuracy' }, { type: 'confusion' }] },
      },
      new Map(),
    );
    const dir = await runExperiment(config, { reporter });
    const expected = windowPerClass(lastWindow * window);
    expect(expected.filter((count) => count > 0).length).toBeGreaterThan(1); // a window of one class would not tell
    expect(evaluatedPerClass(dir)).toEqual(expected);
  },
);
