import * as tf from '@tensorflow/tfjs';
import '../src/builders/networks';
import { networks } from '../src/registry';
import { AcafError } from '../src/errors';
import { withDefaults, reluProvider } from './helpers/network-fixtures';

beforeAll(() => tf.setBackend('cpu'));

/** Activation call sites per network in the authors' code (paper.md section 6). */
const PAPER_SITES: Record<string, number> = { lenet: 3, alexnet: 6, vgg16: 15, googlenet: 57, resnet50: 49, densenet: 200 };

/**
 * Narrow copies keep each layer graph but make the cpu pass fast: tfjs's cpu Conv2DBackpropFilter is slow, and
 * the paper's VGG16 keeps 32x32 maps through three blocks. He init keeps the deep narrow stacks from underflowing.
 */
const TEST_WIDTH: Record<string, number> = { vgg16: 1 / 64 };
const testOptions = (name: string, variant: string, extra: Record<string, unknown>) =>
  withDefaults(name, {
    ...(variant === '(none)' ? {} : { variant }),
    widthMultiplier: TEST_WIDTH[name] ?? 1 / 32,
    initializer: 'he-normal',
    ...extra,
  });

const cases = [
  ...networks.list().flatMap((plugin) => {
    const variants = (plugin.options.variant?.enum as string[] | undefined) ?? ['(none)'];
    return variants.map((variant) => ({ name: plugin.name, variant, extra: {} }));
  }),
  // Auxiliary classifiers are extra outputs, each of logits.
  { name: 'googlenet', variant: 'standard', extra: { auxHeads: true } },
];

describe.each(cases)('$name, variant $variant $extra, at 32x32x3', ({ name, variant, extra }) => {
  it('runs forward and backward with finite gradients for every weight, none for the images, and no leaked tensors', async () => {
    const before = tf.memory().numTensors;
    const sites: string[] = [];
    const options = testOptions(name, variant, extra);
    const model = networks.build(name, options, { inputShape: [32, 32, 3], numClasses: 10, activation: reluProvider(sites) });
    const x = tf.randomNormal([2, 32, 32, 3]);
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10));
    const weights = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
    const profile = await tf.profile(() => {
      result = tf.variableGrads(() => {
        const outputs = [model.apply(x, { training: true })].flat() as tf.Tensor[];
        expect(outputs.map((output) => output.shape)).toEqual(model.outputs.map(() => [2, 10]));
        // Auxiliary heads train through their own losses, as in Szegedy et al.
        return tf.addN(outputs.map((output) => tf.losses.softmaxCrossEntropy(labels, output))) as tf.Scalar;
      }, weights);
    });
    const { value, grads } = result!;
    // The first layer's input gradient is a whole transposed convolution that nothing uses (see InputConv2D).
    const imageGradients = profile.kernels.filter(
      (kernel) => kernel.name === 'Conv2DBackpropInput' && kernel.outputShapes[0]?.join() === x.shape.join(),
    );
    expect(imageGradients).toEqual([]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Object.keys(grads).sort()).toEqual(weights.map((weight) => weight.name).sort());
    const nonFinite = Object.keys(grads).filter((weightName) => tf.tidy(() => tf.all(tf.isFinite(grads[weightName])).dataSync()[0] === 0));
    expect(nonFinite).toEqual([]);
    const gradientNorm = tf.tidy(() => tf.addN(Object.values(grads).map((grad) => tf.sum(tf.square(grad)))).dataSync()[0]);
    expect(gradientNorm).toBeGreaterThan(0);
    tf.dispose([x, labels, value, ...Object.values(grads)]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes every activation from the provider, with unique readable site names', () => {
    const sites: string[] = [];
    const options = testOptions(name, variant, extra);
    const model = networks.build(name, options, { inputShape: [32, 32, 3], numClasses: 10, activation: reluProvider(sites) });
    expect(sites.length).toBeGreaterThan(0);
    expect(new Set(sites).size).toBe(sites.length);
    for (const site of sites) expect(site).toMatch(/^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/);
    // No layer applies a built-in activation: the classifier outputs logits and the provider owns every nonlinearity.
    for (const layer of model.layers) {
      const activation = layer.getConfig().activation;
      if (activation !== undefined && !sites.includes(layer.name)) expect([layer.name, activation]).toEqual([layer.name, 'linear']);
    }
    if (variant === 'paper' && PAPER_SITES[name]) expect(sites.length).toBe(PAPER_SITES[name]);
    model.dispose();
  });
});

test('an input too small for a network is a one-line user error naming the layer', () => {
  const build = () =>
    networks.build('lenet', withDefaults('lenet', { variant: 'standard' }), {
      inputShape: [12, 12, 1],
      numClasses: 10,
      activation: reluProvider(),
    });
  expect(build).toThrow(AcafError);
  expect(build).toThrow('conv2: a 5x5 convolution needs at least 5x5 pixels, got 4x4; the input shape is too small for this network');
});
