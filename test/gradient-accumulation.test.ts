import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildModel } from '../src/builders/model';
import { buildDetector } from '../src/detection/model/detector';
import { divisors, validateConfig } from '../src/config/validate';
import { ConfigError } from '../src/errors';
import { activations, heads, networks, optimizers } from '../src/registry';
import { microBatches } from '../src/tasks/gradient-accumulation';
import { trainStep } from '../src/tasks/classification/train-step';
import { detectionTrainStep } from '../src/tasks/detection/train-step';
import { SeededMathRandom } from '../src/trainers/random';

/**
 * Gradient accumulation (`train.accumulate`) against closed-form oracles: one SGD step over K micro-batches must
 * move every weight as one SGD step on the batch's mean loss does, w - lr * (dL/dw + weightDecay * w), computed here
 * with plain tfjs on the whole batch. The weights are those of networks without batch-dependent layers (no batch
 * norm, no dropout), where the mean of the micro-batches' means is the batch's mean.
 */
beforeAll(() => tf.setBackend('cpu'));

test('micro-batches split a batch into equal parts, and a short batch into near-equal ones', () => {
  const sizes = (size: number, parts: number) => microBatches(size, parts).map(({ start, end }) => [start, end]);
  expect(sizes(8, 4)).toEqual([
    [0, 2],
    [2, 4],
    [4, 6],
    [6, 8],
  ]);
  expect(sizes(8, 1)).toEqual([[0, 8]]);
  expect(sizes(5, 4)).toEqual([
    [0, 2],
    [2, 3],
    [3, 4],
    [4, 5],
  ]);
  expect(sizes(3, 4)).toEqual([
    [0, 1],
    [1, 2],
    [2, 3],
  ]);
});

const CLASSES = 5;
const INPUT: [number, number, number] = [16, 16, 3];
const LR = 0.5;
const WEIGHT_DECAY = 0.01;

/**
 * The registered networks without batch-dependent layers once dropout is off (those that take 16x16 inputs), narrowed
 * so the cpu step is quick.
 */
function batchIndependentNetworks(): string[] {
  return networks.names().filter((name) => {
    let model: tf.LayersModel;
    try {
      model = build(name);
    } catch {
      return false; // too small an input for this network
    }
    const dependent = model.layers.some((layer) => /BatchNorm|Dropout/i.test(layer.getClassName()));
    model.dispose();
    return !dependent;
  });
}

function build(name: string): tf.LayersModel {
  const options = networks.get(name).options;
  const extra: Record<string, unknown> = {};
  if (options.dropout) extra.dropout = 0;
  if (options.widthMultiplier) extra.widthMultiplier = 1 / 16;
  const random = new SeededMathRandom(7);
  try {
    return buildModel(
      { network: networks.withDefaults(name, extra) as never, activation: activations.withDefaults('ar') as never },
      { inputShape: INPUT, numClasses: CLASSES },
    ).model;
  } finally {
    random.restore();
  }
}

/** Runs `compute` in a tfjs scope that frees its tensors, returning plain values (tf.tidy returns only tensors). */
function freeingTensors<T>(compute: () => T): T {
  tf.engine().startScope();
  try {
    return compute();
  } finally {
    tf.engine().endScope();
  }
}

function batchOf(size: number) {
  const random = new SeededMathRandom(11);
  try {
    return {
      images: Float32Array.from({ length: size * INPUT[0] * INPUT[1] * INPUT[2] }, () => Math.random() * 2 - 1),
      labels: Int32Array.from({ length: size }, (_, i) => i % CLASSES),
      size,
    };
  } finally {
    random.restore();
  }
}

/** Plain SGD on the whole batch: the batch's mean cross-entropy, L2 weightDecay * w on kernels; the new weights by name. */
function oracleStep(model: tf.LayersModel, batch: ReturnType<typeof batchOf>): { weights: Map<string, Float32Array>; loss: number } {
  return freeingTensors(() => {
    const images = tf.tensor4d(batch.images, [batch.size, ...INPUT]);
    const targets = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), CLASSES);
    const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(targets, model.apply(images, { training: true }) as tf.Tensor) as tf.Scalar,
      variables,
    );
    const weights = new Map<string, Float32Array>();
    for (const weight of model.trainableWeights) {
      const w = weight.read() as tf.Variable;
      const decay = /kernel$/.test(weight.originalName) ? tf.mul(w, WEIGHT_DECAY) : tf.zerosLike(w);
      weights.set(weight.name, tf.sub(w, tf.mul(tf.add(grads[w.name], decay), LR)).dataSync() as Float32Array);
    }
    return { weights, loss: value.dataSync()[0] };
  });
}

function acafStep(model: tf.LayersModel, batch: ReturnType<typeof batchOf>, accumulate: number) {
  const { optimizer } = optimizers.build('sgd', optimizers.withDefaults('sgd', { lr: LR }), undefined);
  const settings = { numClasses: CLASSES, labelSmoothing: 0, weightDecay: WEIGHT_DECAY, outputSoftmax: false, accumulate };
  const result = trainStep(model, optimizer, batch, settings);
  optimizer.dispose();
  return { result, weights: new Map(model.trainableWeights.map((weight) => [weight.name, weight.read().dataSync() as Float32Array])) };
}

const names = batchIndependentNetworks();

test('some registered networks qualify', () => expect(names).toEqual(expect.arrayContaining(['lenet', 'mlp'])));

describe.each(names)('%s', (name) => {
  test.each([
    { size: 8, accumulate: 4 },
    { size: 8, accumulate: 1 },
    { size: 6, accumulate: 4 },
  ])('one SGD step over $accumulate micro-batches of a batch of $size is the batch-mean SGD step', ({ size, accumulate }) => {
    const model = build(name);
    const initial = model.getWeights().map((weight) => weight.clone());
    const batch = batchOf(size);
    const oracle = oracleStep(model, batch);
    const { result, weights } = acafStep(model, batch, accumulate);
    expect(result.loss).toBeCloseTo(oracle.loss, 5);
    const penalty =
      (WEIGHT_DECAY / 2) *
      initial.reduce((sum, w, i) => (/kernel$/.test(model.weights[i].originalName) ? sum + tf.sum(tf.square(w)).dataSync()[0] : sum), 0);
    expect(result.objective).toBeCloseTo(oracle.loss + penalty, 4);
    for (const [weightName, expected] of oracle.weights) {
      const actual = weights.get(weightName)!;
      const initialValue = initial[model.weights.findIndex((weight) => weight.name === weightName)].dataSync();
      // The step itself (w' - w) must match to 1e-5 of its size: a wrong 1/K scales it by K.
      let scale = 0;
      let error = 0;
      for (let i = 0; i < expected.length; i++) {
        scale = Math.max(scale, Math.abs(expected[i] - initialValue[i]));
        error = Math.max(error, Math.abs(actual[i] - expected[i]));
      }
      expect({ weightName, error: error <= 1e-5 * scale + 1e-7 }).toEqual({ weightName, error: true });
    }
    tf.dispose(initial);
    model.dispose();
  });
});

test('only one micro-batch of activations is alive at a time: the peak falls with accumulate', async () => {
  const model = build('lenet');
  const batch = batchOf(32);
  const peak = async (accumulate: number) => {
    const before = tf.memory().numBytes;
    const profile = await tf.profile(() => void acafStep(model, batch, accumulate));
    return profile.peakBytes - before;
  };
  const whole = await peak(1);
  const quarters = await peak(4);
  // The activations of LeNet dominate its weights at batch 32: a quarter of them, plus the gradient sum.
  expect(quarters).toBeLessThan(0.5 * whole);
  model.dispose();
});

test('a detection step over 2 micro-batches is the mean of their plain gradients, batch norm per micro-batch', () => {
  const random = new SeededMathRandom(5);
  const detector = (() => {
    try {
      return buildDetector(
        {
          network: networks.withDefaults('lenet', { widthMultiplier: 0.25, dropout: 0 }) as never,
          activation: activations.withDefaults('ar') as never,
          placement: [],
          backbone: { levels: 1, minGrid: 4 },
          head: heads.withDefaults('yolov3', { width: 8, anchors: [[[6, 6]]] }) as never,
        },
        { inputShape: INPUT, numClasses: 3 },
      );
    } finally {
      random.restore();
    }
  })();
  const { model, head } = detector;
  const images = batchOf(4).images;
  const truth = {
    boxes: [
      [1, 1, 8, 9],
      [4, 2, 15, 12],
      [0, 0, 16, 16],
      [3, 5, 9, 7],
    ].map((box) => Float32Array.from(box)),
    labels: [0, 1, 2, 1].map((label) => Int32Array.of(label)),
  };
  const imageSize = INPUT[0] * INPUT[1] * INPUT[2];
  // The oracle: plain tfjs gradients of the head's loss on each half (training mode: each half's batch statistics).
  const expected = freeingTensors(() => {
    const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const halves = [0, 2].map((start) =>
      tf.variableGrads(() => {
        const x = tf.tensor4d(images.subarray(start * imageSize, (start + 2) * imageSize), [2, ...INPUT]);
        const part = { boxes: truth.boxes.slice(start, start + 2), labels: truth.labels.slice(start, start + 2) };
        return head.loss(model.apply(x, { training: true }) as tf.Tensor, part).total;
      }, variables),
    );
    const loss = (halves[0].value.dataSync()[0] + halves[1].value.dataSync()[0]) / 2;
    const weights = new Map<string, Float32Array>();
    for (const variable of variables) {
      const gradient = tf.div(tf.add(halves[0].grads[variable.name], halves[1].grads[variable.name]), 2);
      weights.set(variable.name, tf.sub(variable, tf.mul(gradient, LR)).dataSync() as Float32Array);
    }
    return { loss, weights };
  });
  const { optimizer } = optimizers.build('sgd', optimizers.withDefaults('sgd', { lr: LR }), undefined);
  const step = detectionTrainStep(model, head, optimizer, { images, size: 4, truth, sources: [] }, 0, 2);
  optimizer.dispose();
  expect(step.total).toBeCloseTo(expected.loss, 5);
  expect(step.box + step.objectness + step.classification).toBeCloseTo(step.total, 5);
  for (const weight of model.trainableWeights) {
    const actual = weight.read().dataSync();
    const wanted = expected.weights.get((weight.read() as tf.Variable).name)!;
    const error = Math.max(...Array.from(actual, (value, i) => Math.abs(value - wanted[i])));
    expect({ weight: weight.name, error: error <= 1e-5 }).toEqual({ weight: weight.name, error: true });
  }
  model.dispose();
});

describe('train.accumulate in a config', () => {
  const config = (train: Record<string, unknown>) => ({
    name: 'accumulate',
    data: { type: 'synthetic' },
    model: { network: { type: 'mlp' }, activation: { type: 'relu' } },
    train: { optimizer: { type: 'sgd' }, ...train },
  });

  test('defaults to 1', () => expect(validateConfig(config({ batchSize: 8 }), new Map()).train.accumulate).toBe(1));

  test('must divide train.batchSize: an error naming the key and both values', () => {
    let error: unknown;
    try {
      validateConfig(config({ batchSize: 64, accumulate: 6 }), new Map());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/train\.accumulate.*6 does not divide train\.batchSize 64.*1, 2, 4, 8, 16, 32, 64/);
  });

  test('the divisors it names are found without listing every smaller number', () => {
    expect(divisors(36)).toEqual([1, 2, 3, 4, 6, 9, 12, 18, 36]);
    expect(divisors(1)).toEqual([1]);
    expect(divisors(97)).toEqual([1, 97]);
    // 10^12 = 2^12 * 5^12: 13 * 13 divisors.
    expect(() => validateConfig(config({ batchSize: 1e12, accumulate: 7 }), new Map())).toThrow(
      /7 does not divide train\.batchSize 1000000000000/,
    );
    expect(divisors(1e12)).toHaveLength(169);
  });

  test('must be a positive integer', () => {
    expect(() => validateConfig(config({ batchSize: 8, accumulate: 0 }), new Map())).toThrow(/train\.accumulate/);
  });
});
