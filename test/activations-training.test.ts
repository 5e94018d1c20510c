import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { activationParameters } from '../src/builders/activations/inspect';
import { buildModel } from '../src/builders/model';
import { readIdxPair } from '../src/data/readers/idx';
import { networks } from '../src/registry';
import { useCpuBackend } from './helpers/activations';

const SAMPLE = path.join(__dirname, '..', 'data', 'fashion-mnist-sample');
const IMAGES = 256;

beforeAll(async () => {
  await useCpuBackend();
  networks.register({
    name: 'test-mlp',
    description: 'test-only 784-32-16-10 MLP',
    options: {},
    build: (_options, { inputShape, numClasses, activation }) => {
      const input = tf.input({ shape: inputShape });
      let x = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
      for (const [name, units] of [
        ['fc1', 32],
        ['fc2', 16],
      ] as const) {
        x = tf.layers.dense({ name, units }).apply(x) as tf.SymbolicTensor;
        x = activation(`${name}.act`).apply(x) as tf.SymbolicTensor;
      }
      return tf.model({ inputs: input, outputs: tf.layers.dense({ name: 'logits', units: numClasses }).apply(x) as tf.SymbolicTensor });
    },
  });
});

test('on real Fashion-MNIST images, training moves the adaptive parameters away from their initial values', () => {
  const { split } = readIdxPair(path.join(SAMPLE, 'train-images-idx3-ubyte.gz'), path.join(SAMPLE, 'train-labels-idx1-ubyte.gz'), 10);
  const x = tf.tidy(() =>
    tf
      .tensor4d(split.images.subarray(0, IMAGES * 784), [IMAGES, 28, 28, 1], 'int32')
      .toFloat()
      .div(255),
  );
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(split.labels.subarray(0, IMAGES), 'int32'), 10));
  const { model } = buildModel(
    { network: { type: 'test-mlp' }, activation: { type: 'ar' }, placement: [{ sites: 'fc2.act', activation: { type: 'as' } }] },
    { inputShape: [28, 28, 1], numClasses: 10 },
  );
  const initial = activationParameters(model);
  const optimizer = tf.train.sgd(0.2);
  const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
  const firstLoss = tf.tidy(() => loss().dataSync()[0]);
  for (let step = 0; step < 20; step++) optimizer.minimize(loss);
  const lastLoss = tf.tidy(() => loss().dataSync()[0]);
  const learned = activationParameters(model);

  expect(lastLoss).toBeLessThan(firstLoss * 0.8);
  expect(learned.map((row) => [row.site, row.type])).toEqual([
    ['fc1.act', 'ar'],
    ['fc2.act', 'as'],
  ]);
  learned.forEach((row, i) => {
    const moved = Object.keys(row.parameters).map((p) => Math.abs(row.parameters[p].mean - initial[i].parameters[p].mean));
    expect(Math.max(...moved)).toBeGreaterThan(1e-3);
  });
  // ar starts at a tie: (a, c) learn from the first step; (b, d) only once the tie is broken.
  expect(learned[0].parameters.a.mean).not.toBe(1);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
});
