import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildModel } from '../src/builders/model';
import { BatchNorm } from '../src/builders/networks/layers/batch-norm';
import { NetworkPluginOptions, paperFamilyOptionSchemas, resolveSettings } from '../src/builders/networks/options';
import { resolveConfig } from '../src/config';
import type { ClassificationExperimentConfig } from '../src/config/types';
import { loadDataset } from '../src/data/load';
import { loadModel } from '../src/io/model-files';
import { networks } from '../src/registry';
import { loadRuns } from '../src/report/load-runs';
import { summarizeRun } from '../src/report/summary';
import { readMetrics, runPaths } from '../src/run-directory';
import { dataSource } from '../src/tasks/classification/data-source';
import { crossEntropy } from '../src/tasks/classification/loss';
import type { ProgressReporter } from '../src/trainers/progress';
import { runExperiment } from '../src/trainers/run-experiment';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-full-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const quiet = (): void => undefined;
const reporter: ProgressReporter = { start: quiet, step: quiet, evaluating: quiet, warn: quiet, finish: quiet, epoch: quiet };

/** A test network with one batch norm whose paper variant, like the authors' networks, uses batch statistics at test. */
function registerBatchNormNetwork(): void {
  if (networks.has('test-bn')) return;
  networks.register<NetworkPluginOptions>({
    name: 'test-bn',
    description: 'test-only: dense, batch norm, activation, dense',
    options: paperFamilyOptionSchemas,
    paperQuirks: { outputSoftmax: true, bnTestStatistics: 'batch' },
    build(options, { inputShape, numClasses, activation }) {
      const { batchNorm } = resolveSettings(options);
      const input = tf.input({ shape: inputShape });
      let x = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
      x = tf.layers.dense({ units: 6, name: 'hidden' }).apply(x) as tf.SymbolicTensor;
      x = new BatchNorm({ name: 'hidden.bn', ...batchNorm }).apply(x) as tf.SymbolicTensor;
      x = activation('hidden.act').apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: tf.layers.dense({ units: numClasses, name: 'logits' }).apply(x) as tf.SymbolicTensor });
    },
  });
}

/** The test network trained for 2 epochs under `protocol`. */
function config(protocol: string): ClassificationExperimentConfig {
  const file = path.join(work, `${protocol}.yaml`);
  fs.writeFileSync(
    file,
    [
      `name: full-test-${protocol}`,
      `protocol: ${protocol}`,
      'backend: cpu',
      'data: { type: synthetic, shape: [4, 4, 1], classCount: 4, train: 128, test: 100 }',
      'model: { network: { type: test-bn }, activation: { type: ar } }',
      'train: { epochs: 2, batchSize: 48, optimizer: { type: sgd, lr: 0.05 } }',
      `output: { dir: ${JSON.stringify(path.join(work, 'runs'))} }`,
    ].join('\n'),
  );
  return resolveConfig(file) as ClassificationExperimentConfig;
}

beforeAll(async () => {
  registerBatchNormNetwork();
  await tf.setBackend('cpu');
});

test("a paper-faithful run logs the authors' measure and, in full_* columns, the corrected one of the same weights", async () => {
  const paper = config('paper-faithful');
  const dir = await runExperiment(paper, { reporter });
  const metrics = readMetrics(runPaths(dir).metrics);
  const header = fs.readFileSync(runPaths(dir).metrics, 'utf8').split('\n')[0].split(',');
  expect(header).toEqual(expect.arrayContaining(['train_loss_last', 'test_accuracy', 'full_test_loss', 'full_test_accuracy', 'full_f1']));
  // 128 images at 48: two full batches, the partial one dropped
  expect(metrics).toHaveLength(2);

  // The oracle: the last checkpoint's weights in a model built the corrected way (moving statistics), evaluated by
  // hand on the whole test split with the loss of the logits.
  const corrected = config('corrected');
  expect(paper.model).toMatchObject({ outputSoftmax: true, network: { bnTestStatistics: 'batch' } });
  expect(corrected.model.network).toMatchObject({ bnTestStatistics: 'moving' });
  const dataset = await loadDataset(corrected.data, { cwd: work, seed: corrected.seed });
  const { model } = buildModel(corrected.model, { inputShape: dataset.shape, numClasses: dataset.classes.length });
  const saved = await loadModel(path.join(dir, 'checkpoints', 'last'));
  model.setWeights(saved.getWeights());
  let correct = 0;
  let lossSum = 0;
  for (const batch of dataSource(dataset, corrected).testBatches(0)) {
    tf.tidy(() => {
      const logits = model.predict(tf.tensor4d(batch.images, [batch.size, 4, 4, 1]), { batchSize: batch.size }) as tf.Tensor;
      const labels = tf.tensor1d(batch.labels, 'int32');
      correct += tf.sum(tf.equal(tf.argMax(logits, 1).toInt(), labels)).dataSync()[0];
      lossSum += crossEntropy(logits, labels, 4, 0, false).dataSync()[0] * batch.size;
    });
  }
  const last = metrics[metrics.length - 1];
  const full = readMetrics(runPaths(dir).metrics, 'full')[metrics.length - 1];
  expect(full.test_accuracy).toBeCloseTo(correct / 100, 10);
  expect(full.test_loss).toBeCloseTo(lossSum / 100, 5);
  // the paper measure is another number: 64 images, batch statistics, double softmax where the network has it
  expect(last.test_accuracy).toBeCloseTo(Math.round(last.test_accuracy! * 64) / 64, 10);
  expect(last.train_loss_last).toBeGreaterThan(0);
  // export, plot and report read either measure (--measure paper|full)
  const [record] = loadRuns([dir], { measure: 'full' }).records;
  expect(summarizeRun(record, 0.5).test_accuracy).toBe(full.test_accuracy);
  expect(summarizeRun(loadRuns([dir]).records[0], 0.5).test_accuracy).toBe(last.test_accuracy);
});
