import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { optimizers } from '../src/registry';
import type { OptimizerOptions } from '../src/builders/optimizers/types';
import { decayedWeights } from '../src/tasks/weight-decay';
import type { ImageBatch } from '../src/data/pipeline';
import { trainStep } from '../src/tasks/classification/train-step';

/** A plugin's options at their schema defaults. */
function defaults(name: string): OptimizerOptions {
  const plugin = optimizers.get(name);
  const options = Object.fromEntries(
    Object.entries(plugin.options)
      .filter(([, schema]) => 'default' in schema)
      .map(([key, schema]) => [key, schema.default]),
  );
  return { type: name, ...options } as OptimizerOptions;
}

/** A 4x4 one-channel image batch whose class (0..2) is readable from which third of the image is bright. */
function tinyBatch(): ImageBatch {
  const size = 12;
  const images = new Float32Array(size * 16);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    labels[i] = i % 3;
    for (let p = 0; p < 16; p++) images[i * 16 + p] = Math.floor(p / 6) === labels[i] ? 1 : -0.5 + ((i * 7 + p) % 5) / 10;
  }
  return { images, labels, size };
}

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  const hidden = tf.layers
    .dense({ units: 6, activation: 'relu', kernelInitializer: 'glorotUniform', name: 'hidden' })
    .apply(tf.layers.flatten().apply(input));
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, name: 'logits' }).apply(hidden) as tf.SymbolicTensor });
}

const settings = { numClasses: 3, labelSmoothing: 0, weightDecay: 0, outputSoftmax: false };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(optimizers.names())('optimizer %s', (name) => {
  test('lowers the loss of a tiny network within a few steps, without leaking tensors', () => {
    const model = tinyModel();
    const { optimizer } = optimizers.build(name, defaults(name), undefined);
    const batch = tinyBatch();
    const first = trainStep(model, optimizer, batch, settings).loss;
    const tensorsAfterFirstStep = tf.memory().numTensors;
    let last = first;
    for (let step = 0; step < 15; step++) last = trainStep(model, optimizer, batch, settings).loss;
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
    expect(last).toBeLessThan(first);
    optimizer.dispose();
    model.dispose();
  });

  test('dispose frees every tensor it made (with the model: none left)', () => {
    const before = tf.memory().numTensors;
    const model = tinyModel();
    const { optimizer } = optimizers.build(name, defaults(name), undefined);
    trainStep(model, optimizer, tinyBatch(), settings);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('setLearningRate takes effect between steps: rate 0 leaves the weights unchanged', () => {
    const model = tinyModel();
    const { optimizer, setLearningRate } = optimizers.build(name, defaults(name), undefined);
    trainStep(model, optimizer, tinyBatch(), settings);
    setLearningRate(0);
    const before = model.getWeights().map((weight) => weight.arraySync());
    trainStep(model, optimizer, tinyBatch(), settings);
    const after = model.getWeights().map((weight) => weight.arraySync());
    expect(after).toEqual(before);
    setLearningRate(1);
    trainStep(model, optimizer, tinyBatch(), settings);
    expect(model.getWeights().map((weight) => weight.arraySync())).not.toEqual(before);
    optimizer.dispose();
    model.dispose();
  });
});

test('weight decay adds weightDecay * sum(w^2) / 2 over kernels only', () => {
  const model = tinyModel();
  expect(decayedWeights(model).map((weight) => weight.name.replace(/_\d+$/, ''))).toEqual(['hidden/kernel', 'logits/kernel']);
  const squares = decayedWeights(model).reduce((sum, weight) => sum + tf.tidy(() => tf.sum(tf.square(weight)).dataSync()[0]), 0);
  const { optimizer, setLearningRate } = optimizers.build('sgd', defaults('sgd'), undefined);
  setLearningRate(0);
  const result = trainStep(model, optimizer, tinyBatch(), { ...settings, weightDecay: 0.1 });
  expect(result.objective - result.loss).toBeCloseTo((0.1 * squares) / 2, 5);
  model.dispose();
});

test('every optimizer option schema gives lr a positive default', () => {
  for (const plugin of optimizers.list()) expect(plugin.options.lr).toMatchObject({ type: 'number', default: expect.any(Number) });
});
