import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { resolveConfig } from '../src/config';
import { readMetrics, runPaths } from '../src/run-directory';
import { prepareSession } from '../src/trainers/prepare';
import type { ProgressReporter } from '../src/trainers/progress';
import { runExperiment } from '../src/trainers/run-experiment';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-warm-start-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const quiet = (): void => undefined;
const notes: string[] = [];
const reporter: ProgressReporter = {
  start: (info) => notes.push(...(info.notes ?? [])),
  step: quiet,
  evaluating: quiet,
  warn: quiet,
  finish: quiet,
  epoch: quiet,
};

/** A tiny classification config; `init` is the YAML of `model.init`. */
function config(name: string, seed: number, hidden: number, init?: string) {
  const file = path.join(work, `${name}.yaml`);
  fs.writeFileSync(
    file,
    [
      `name: ${name}`,
      `seed: ${seed}`,
      'backend: cpu',
      'data: { type: synthetic, shape: [4, 4, 1], classCount: 3, train: 96, test: 60, seed: 5 }',
      `model: { network: { type: mlp, hiddenUnits: [${hidden}] }, activation: { type: ar }${init ? `, init: ${init}` : ''} }`,
      'train: { epochs: 2, batchSize: 32, optimizer: { type: sgd, lr: 0.2 } }',
      `output: { dir: ${JSON.stringify(path.join(work, 'runs'))} }`,
    ].join('\n'),
  );
  return resolveConfig(file);
}

let source = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  source = await runExperiment(config('source', 1, 8), { reporter });
});

/** The test columns of the first evaluation of a freshly prepared run, before any training step. */
async function evaluateBeforeTraining(yaml: ReturnType<typeof config>) {
  const session = await prepareSession(yaml, work);
  try {
    return { row: session.task.evaluate(0).row, report: session.warmStart };
  } finally {
    session.random.restore();
    session.task.model.dispose();
    session.optimizer.optimizer.dispose();
  }
}

test("a run started from another run's checkpoint has, before its first step, that checkpoint's test accuracy and loss", async () => {
  const saved = readMetrics(runPaths(source).metrics).at(-1)!;
  for (const from of [source, path.join(source, 'checkpoints', 'last'), path.join(source, 'checkpoints', 'last', 'model.json')]) {
    const { row, report } = await evaluateBeforeTraining(config('warm', 7, 8, `{ from: ${JSON.stringify(from)} }`));
    expect(row.test_accuracy).toBe(saved.test_accuracy);
    expect(row.test_loss).toBeCloseTo(saved.test_loss!, 5);
    expect(report!.missing).toEqual([]);
    expect(report!.loaded).toEqual(expect.arrayContaining(['logits/kernel', 'logits/bias']));
  }
  // without init the other seed starts elsewhere
  expect((await evaluateBeforeTraining(config('cold', 7, 8))).row.test_loss).not.toBeCloseTo(saved.test_loss!, 5);
});

test('the run prints and records in env.json what was loaded, missing and of another shape', async () => {
  const dir = await runExperiment(config('recorded', 2, 6, `{ from: ${JSON.stringify(source)}, strict: false }`), { reporter });
  const env = JSON.parse(fs.readFileSync(runPaths(dir).env, 'utf8')) as { warmStart: Record<string, unknown> };
  expect(env.warmStart).toMatchObject({
    from: path.join(source, 'checkpoints', 'last', 'model.json'),
    missing: [],
    otherShape: [
      { name: 'fc1/kernel', saved: [16, 8], model: [16, 6] },
      { name: 'fc1/bias', saved: [8], model: [6] },
      { name: 'logits/kernel', saved: [8, 3], model: [6, 3] },
    ],
    unused: [],
  });
  expect(notes.at(-1)).toMatch(/^warm start from .*model\.json: \d+ weights loaded; 3 of another shape, left initialised/);
});

test('a shape mismatch is a one-line error naming the weight and both shapes; a wrong path names the path', async () => {
  const tensorsBefore = tf.memory().numTensors;
  await expect(prepareSession(config('strict', 2, 6, `{ from: ${JSON.stringify(source)} }`), work)).rejects.toThrow(
    new RegExp(
      `^model\\.init: weight 'fc1/kernel' has shape \\[16, 8\\] in ${source}/checkpoints/last/model\\.json and \\[16, 6\\] in the model`,
    ),
  );
  await expect(prepareSession(config('nowhere', 2, 8, '{ from: no/such/run }'), work)).rejects.toThrow(
    `model.init.from: ${path.join(work, 'no/such/run')} is not a run directory, a checkpoint directory or a model.json`,
  );
  // The models built for the refused runs are gone with them.
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});
