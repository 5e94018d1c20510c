import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from '../src/builders/networks/layers/batch-norm';
import { normalizeBatchInTraining } from '../src/builders/networks/layers/batch-norm-training';
import { GroupedConv2D } from '../src/builders/networks/layers/grouped-conv';
import { InputConv2D } from '../src/builders/networks/layers/input-conv2d';
import { LocalResponseNorm } from '../src/builders/networks/layers/local-response-norm';

beforeAll(() => tf.setBackend('cpu'));

const close = (actual: tf.Tensor, expected: tf.Tensor) =>
  expect(tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0])).toBeLessThan(1e-4);

describe('BatchNorm', () => {
  const x = () => tf.randomNormal([8, 3, 3, 4], 5, 3);

  it('normalises with the batch statistics at test time when asked (the paper code)', () => {
    tf.tidy(() => {
      const layer = new BatchNorm({ momentum: 0.9, epsilon: 1e-3, testStatistics: 'batch' });
      const y = layer.apply(x(), { training: false }) as tf.Tensor;
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      close(mean, tf.zeros([4]));
      close(variance, tf.ones([4]).mul(0.9999));
    });
  });

  it('uses the moving averages at test time and updates them in training by the momentum', () => {
    tf.tidy(() => {
      const layer = new BatchNorm({ momentum: 0.9, epsilon: 1e-3, testStatistics: 'moving' });
      const input = x();
      // Untrained moving statistics are mean 0, variance 1: the layer is (almost) the identity.
      close(layer.apply(input, { training: false }) as tf.Tensor, input.div(Math.sqrt(1 + 1e-3)));
      layer.apply(input, { training: true });
      const [, , movingMean, movingVariance] = layer.getWeights();
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      close(movingMean, mean.mul(0.1));
      close(movingVariance, variance.mul(0.1).add(0.9));
    });
  });

  it.each([
    ['NHWC', [6, 3, 2, 5]],
    ['rank 2 (after a dense layer)', [7, 4]],
  ])('training-mode gradients (hand-written) equal autodiff of moments + batchNorm: %s', (_label, shape) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const channels = shape[shape.length - 1];
      const x = tf.randomNormal(shape, 2, 3);
      const gamma = tf.randomNormal([channels], 1, 0.5) as tf.Tensor1D;
      const beta = tf.randomNormal([channels]) as tf.Tensor1D;
      // A random upstream gradient: loss = sum(output * weights).
      const weights = tf.randomNormal(shape);
      const axes = shape.map((_, axis) => axis).slice(0, -1);
      const reference = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
        const { mean, variance } = tf.moments(x, axes);
        return tf.sum(tf.mul(tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-3), weights));
      };
      let statistics: tf.Tensor[] = [];
      const handWritten = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
        tf.sum(
          tf.mul(
            normalizeBatchInTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-3, (mean, variance) => {
              tf.dispose(statistics);
              statistics = [tf.keep(mean.clone()), tf.keep(variance.clone())];
            }),
            weights,
          ),
        );
      const expected = tf.grads(reference)([x, gamma, beta]);
      const actual = tf.grads(handWritten)([x, gamma, beta]);
      actual.forEach((gradient, index) => close(gradient, expected[index]));
      close(handWritten(x, gamma, beta), reference(x, gamma, beta));
      const moments = tf.moments(x, axes);
      close(statistics[0], moments.mean);
      close(statistics[1], moments.variance);
      tf.dispose(statistics);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has trainable gamma and beta and non-trainable moving statistics', () => {
    const layer = new BatchNorm({ momentum: 0.9, epsilon: 1e-3, testStatistics: 'batch' });
    tf.tidy(() => {
      layer.apply(tf.zeros([1, 2, 2, 3]));
    });
    expect(layer.trainableWeights.map((weight) => weight.name)).toEqual([expect.stringMatching(/gamma/), expect.stringMatching(/beta/)]);
    expect(layer.nonTrainableWeights).toHaveLength(2);
    layer.dispose();
  });
});

describe('InputConv2D', () => {
  it('equals tfjs Conv2D (output and weight gradients) with the same weights, and round-trips its config', () => {
    tf.tidy(() => {
      const args = {
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same' as const,
        activation: 'relu' as const,
        biasInitializer: 'randomNormal' as const,
      };
      const ours = new InputConv2D(args);
      const reference = tf.layers.conv2d(args);
      const x = tf.randomNormal([2, 7, 7, 3]) as tf.Tensor4D;
      ours.apply(x);
      reference.apply(x);
      reference.setWeights(ours.getWeights());
      // Its own ops in training, tfjs's fused op otherwise: both equal tfjs's Conv2D.
      close(ours.apply(x, { training: true }) as tf.Tensor, reference.apply(x) as tf.Tensor);
      close(ours.apply(x) as tf.Tensor, reference.apply(x) as tf.Tensor);
      const gradients = (layer: tf.layers.Layer) =>
        tf.variableGrads(
          () => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)),
          layer.trainableWeights.map((weight) => weight.read() as tf.Variable),
        ).grads;
      const [expected, actual] = [gradients(reference), gradients(ours)];
      Object.values(actual).forEach((gradient, index) => close(gradient, Object.values(expected)[index]));
      expect(tf.serialization.SerializationMap.getMap().classNameMap[ours.getClassName()]).toBeDefined();
      expect(ours.getConfig()).toEqual({ ...reference.getConfig(), name: ours.name });
    });
  });
});

describe('GroupedConv2D', () => {
  it('equals separate convolutions of each channel group, concatenated', () => {
    tf.tidy(() => {
      const layer = new GroupedConv2D({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        groups: 2,
        useBias: true,
        kernelInitializer: tf.initializers.randomNormal({}),
        biasInitializer: tf.initializers.randomNormal({}),
      });
      const x = tf.randomNormal([2, 5, 5, 6]) as tf.Tensor4D;
      const y = layer.apply(x) as tf.Tensor;
      const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
      expect(kernel.shape).toEqual([3, 3, 3, 4]);
      const [x1, x2] = tf.split(x, 2, 3);
      const [k1, k2] = tf.split(kernel, 2, 3);
      const expected = tf
        .concat([tf.conv2d(x1 as tf.Tensor4D, k1 as tf.Tensor4D, 2, 'same'), tf.conv2d(x2 as tf.Tensor4D, k2 as tf.Tensor4D, 2, 'same')], 3)
        .add(bias);
      expect(y.shape).toEqual([2, 3, 3, 4]);
      expect(layer.computeOutputShape([null, 5, 5, 6])).toEqual([null, 3, 3, 4]);
      close(y, expected);
    });
  });

  it('rejects channels that do not split into the groups', () => {
    const layer = new GroupedConv2D({
      filters: 4,
      kernelSize: 1,
      strides: 1,
      padding: 'valid',
      groups: 2,
      useBias: false,
      kernelInitializer: tf.initializers.ones(),
      biasInitializer: tf.initializers.zeros(),
    });
    expect(() => layer.apply(tf.zeros([1, 2, 2, 3]))).toThrow(/3 input and 4 output channels do not split into 2 groups/);
  });
});

describe('LocalResponseNorm', () => {
  it('applies tf.localResponseNormalization with its settings', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1, 2, 2, 8]) as tf.Tensor4D;
      const layer = new LocalResponseNorm({ depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 });
      close(layer.apply(x) as tf.Tensor, tf.localResponseNormalization(x, 2, 2, 1e-4, 0.75));
      expect(layer.getConfig()).toMatchObject({ depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 });
    });
  });
});
