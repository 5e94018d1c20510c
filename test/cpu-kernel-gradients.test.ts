// First: captures tfjs's own cpu kernels before acaf's plugins replace the broken ones.
import { withTfjsKernel } from './helpers/tfjs-cpu-kernels';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildDetector } from '../src/detection/model/detector';
import { activations, heads, networks } from '../src/registry';
import { buildActivation } from './helpers/activations';
import { checkKernelGradient, GradientComparison, KernelCall, randomGenerator, recordKernels } from './helpers/kernel-gradients';
import { withDefaults } from './helpers/network-fixtures';
import { SeededMathRandom } from '../src/trainers/random';

/**
 * The cpu backend is the oracle of acaf's wasm kernels, so its gradients get an oracle of their own: central
 * finite differences. First the two resize gradients tfjs 4.22 gets wrong (src/backends/cpu-resize-gradients.ts),
 * then every kernel the registered networks, activations and heads run, as recorded from their real forward passes.
 */

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

const worst = (comparisons: GradientComparison[]) => Math.max(...comparisons.map((c) => c.error));

/** Resizes and average pools are linear: a larger step has no truncation error and less float32 rounding. */
const LINEAR_STEP = 1e-2;

/** A call of a one-input kernel on uniform random values in [-1, 1]. */
function singleInputCall(kernelName: string, input: string, shape: number[], attrs: tf.NamedAttrMap, seed: number): KernelCall {
  const random = randomGenerator(seed);
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => random() * 2 - 1);
  return { kernelName, attrs, asArray: false, inputs: [{ name: input, shape, dtype: 'float32', values }] };
}
const resizeCall = (kernelName: string, shape: number[], attrs: tf.NamedAttrMap, seed: number) =>
  singleInputCall(kernelName, 'images', shape, attrs, seed);

describe.each([tf.ResizeNearestNeighbor, tf.ResizeBilinear])('%s gradient on cpu at batch 4', (kernelName) => {
  const cases = [
    { shape: [4, 3, 5, 2], size: [6, 10], alignCorners: false, halfPixelCenters: false },
    { shape: [4, 5, 3, 3], size: [9, 7], alignCorners: true, halfPixelCenters: false },
    { shape: [4, 7, 5, 1], size: [3, 4], alignCorners: false, halfPixelCenters: true },
    { shape: [4, 4, 4, 2], size: [8, 8], alignCorners: false, halfPixelCenters: true },
  ];
  test.each(cases)('input $shape to $size, alignCorners $alignCorners, halfPixelCenters $halfPixelCenters', ({ shape, ...attrs }) => {
    const call = resizeCall(kernelName, shape, attrs, shape[1] * 7 + attrs.size[0]);
    const comparisons = checkKernelGradient(call, { samples: 24, step: LINEAR_STEP });
    expect(comparisons).toHaveLength(24);
    expect(worst(comparisons)).toBeLessThan(1e-3);
  });
});

test("tfjs's own ResizeNearestNeighborGrad fails the same check at batch 4 (and passes at batch 1)", () => {
  const attrs = { size: [6, 10], alignCorners: false, halfPixelCenters: false };
  const [batch4, batch1] = [
    resizeCall(tf.ResizeNearestNeighbor, [4, 3, 5, 2], attrs, 3),
    resizeCall(tf.ResizeNearestNeighbor, [1, 3, 5, 2], attrs, 3),
  ];
  withTfjsKernel(tf.ResizeNearestNeighborGrad, () => {
    expect(worst(checkKernelGradient(batch4, { samples: 24, step: LINEAR_STEP }))).toBeGreaterThan(0.1);
    expect(worst(checkKernelGradient(batch1, { samples: 24, step: LINEAR_STEP }))).toBeLessThan(1e-3);
  });
});

test("tfjs's own ResizeBilinearGrad fails on a non-square image", () => {
  const call = resizeCall(tf.ResizeBilinear, [2, 3, 5, 2], { size: [6, 10], alignCorners: false, halfPixelCenters: false }, 5);
  withTfjsKernel(tf.ResizeBilinearGrad, () => expect(() => checkKernelGradient(call)).toThrow(/does not match the shape of the input/));
});

describe('AvgPool gradient on cpu', () => {
  // 'same' padding on odd sizes: border windows hold fewer pixels, and the forward pass divides by those.
  const cases = [
    { shape: [3, 5, 7, 2], filterSize: [2, 2], strides: [2, 2], pad: 'same' },
    { shape: [2, 7, 6, 3], filterSize: [3, 3], strides: [2, 1], pad: 'same' },
    { shape: [2, 6, 6, 1], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
  ];
  test.each(cases)('$shape, window $filterSize, strides $strides, padding $pad', ({ shape, ...attrs }) => {
    const call = singleInputCall(tf.AvgPool, 'x', shape, attrs, shape[2]);
    expect(worst(checkKernelGradient(call, { samples: 24, step: LINEAR_STEP }))).toBeLessThan(1e-3);
  });

  test("tfjs's own AvgPoolGrad fails on 'same' padding at an odd size", () => {
    const { shape, ...attrs } = cases[0];
    const call = singleInputCall(tf.AvgPool, 'x', shape, attrs, 4);
    withTfjsKernel(tf.AvgPoolGrad, () => expect(worst(checkKernelGradient(call, { samples: 24, step: LINEAR_STEP }))).toBeGreaterThan(0.1));
  });
});

/** Inputs at odd sizes and batch 3, so strided kernels meet odd extents and batch strides matter. */
const INPUT: [number, number, number] = [19, 17, 3];
const BATCH = 2;
const HEAD_INPUT: [number, number, number] = [24, 24, 3];

function randomInput(shape: number[], seed: number): tf.Tensor {
  const random = randomGenerator(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => random() * 2 - 1),
    shape,
  );
}

/** Sum of the output times fixed random weights: every output element gets its own dy. */
function weightedSum(output: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(output, randomInput(output.shape, seed)));
}

/** The kernels of a forward and backward pass (gradients of every trainable weight and of the input variable) of `loss`. */
function trainingStepKernels(loss: () => tf.Scalar) {
  return recordKernels((startBackward) => {
    const { value, grads } = tf.variableGrads(() => {
      const result = loss();
      startBackward();
      return result;
    });
    tf.dispose([value, ...Object.values(grads)]);
  });
}

const standard = (network: string) => ('variant' in networks.get(network).options ? { variant: 'standard' } : {});

/** One small instance of each plugin: build() makes it and returns its loss, whose training step records its kernels. */
const PLUGINS: { plugin: string; build: () => { loss: () => tf.Scalar; dispose: () => void } }[] = [
  ...networks.names().map((network) => ({
    plugin: `network ${network}`,
    build: () => {
      const model = networks.build(network, withDefaults(network, { widthMultiplier: 0.0625, ...standard(network) }), {
        inputShape: INPUT,
        numClasses: 3,
        activation: (site: string) => tf.layers.activation({ activation: 'relu', name: site }),
      });
      const input = tf.variable(randomInput([BATCH, ...INPUT], 1));
      const loss = () => weightedSum(model.apply(input, { training: true }) as tf.Tensor, 2);
      return { loss, dispose: () => (model.dispose(), input.dispose()) };
    },
  })),
  ...activations.names().map((activation) => ({
    plugin: `activation ${activation}`,
    build: () => {
      const layer = buildActivation(activation, { share: 'channel' });
      const input = tf.variable(randomInput([BATCH, 3, 5, 2], 3));
      tf.dispose(layer.apply(input) as tf.Tensor); // creates the layer's weights
      const loss = () => weightedSum(layer.apply(input) as tf.Tensor, 4);
      return { loss, dispose: () => tf.dispose([input, ...layer.weights.map((weight) => weight.read())]) };
    },
  })),
  ...heads.names().map((head) => ({
    plugin: `head ${head}`,
    build: () => {
      const detector = buildDetector(
        {
          network: withDefaults('resnet18', { widthMultiplier: 0.125, variant: 'standard' }),
          activation: { type: 'relu' },
          head: { type: head, width: 4 },
          backbone: { levels: 2 },
        },
        // 24x24: grids 12x12 and 6x6, so the head upsamples the coarser level by a whole factor.
        { inputShape: HEAD_INPUT, numClasses: 2 },
      );
      const truth = {
        boxes: [Float32Array.from([4, 4, 12, 14]), Float32Array.from([1, 2, 9, 7, 10, 3, 16, 15])],
        labels: [Int32Array.from([1]), Int32Array.from([0, 1])],
      };
      const input = tf.variable(randomInput([BATCH, ...HEAD_INPUT], 5));
      const loss = () => detector.head.loss(detector.model.apply(input, { training: true }) as tf.Tensor, truth).total;
      return { loss, dispose: () => (detector.model.dispose(), input.dispose()) };
    },
  })),
];

/**
 * tfjs's fused matmul (dense layers) has its gradient as a tf.customGrad inside the op, not a registered one, and
 * that gradient runs BatchMatMul: so each fused call also gives the plain BatchMatMul of its two matrices.
 */
function withUnfusedCore(call: KernelCall): KernelCall[] {
  if (call.kernelName !== '_FusedMatMul') return [call];
  const core = call.inputs.filter((input) => input.name === 'a' || input.name === 'b');
  return [
    call,
    { ...call, kernelName: tf.BatchMatMul, inputs: core, attrs: { transposeA: call.attrs.transposeA, transposeB: call.attrs.transposeB } },
  ];
}

/**
 * Kernels that only acaf's own custom gradients run (tf.customGrad, not a registered gradient), with the test that
 * checks that gradient against an independent one.
 */
const CHECKED_ELSEWHERE: Record<string, string> = {
  AcafBatchNormGradient: 'test/networks-layers.test.ts: training batch norm vs tfjs autodiff of moments + batchNorm',
  AcafNormalizationGradientSums: 'test/networks-layers.test.ts: training batch norm vs tfjs autodiff of moments + batchNorm',
  AcafNormalizationGradientScales: 'test/networks-layers.test.ts: training batch norm vs tfjs autodiff of moments + batchNorm',
  AcafNormalizationInputGradient: 'test/networks-layers.test.ts: training batch norm vs tfjs autodiff of moments + batchNorm',
};

/** Relative to the largest gradient element of the input: float32 forward passes and steps of 1e-3 of its range. */
const TOLERANCE = 1e-2;

describe('every kernel the registered networks, activations and heads run on cpu', () => {
  /** One call per kernel and attributes (the smallest seen), and which plugins made it. */
  const calls = new Map<string, KernelCall & { plugins: Set<string> }>();
  const pluginBackward = new Map<string, Set<string>>();

  beforeAll(() => {
    // The plugins' initial weights come from Math.random: seeded, the recorded calls (and so the points a check
    // can use away from kinks) are the same in every run. Seed 3: at seeds 1 and 2 the smallest recorded max-pool
    // call (lenet) has no element away from a tie, so it could not be checked at all.
    const seeded = new SeededMathRandom(3);
    try {
      recordPlugins();
    } finally {
      seeded.restore();
    }
  });

  function recordPlugins() {
    for (const { plugin, build } of PLUGINS) {
      const { loss, dispose } = build();
      const recorded = trainingStepKernels(loss);
      dispose();
      for (const kernel of recorded.backward) pluginBackward.set(kernel, (pluginBackward.get(kernel) ?? new Set()).add(plugin));
      for (const call of recorded.forward.flatMap(withUnfusedCore)) {
        if (!tf.getGradient(call.kernelName)) continue; // nothing is differentiated through it
        const key = `${call.kernelName} ${JSON.stringify(call.attrs)} ${call.inputs.map((input) => input.dtype)}`;
        const size = (c: KernelCall) => c.inputs.reduce((total, input) => total + input.values.length, 0);
        const known = calls.get(key);
        if (!known || size(call) < size(known)) calls.set(key, { ...call, plugins: known?.plugins ?? new Set() });
        calls.get(key)!.plugins.add(plugin);
      }
    }
  }

  /** Checks every recorded call; returns the failures as lines and the kernels the checks' gradients ran. */
  function checkAll(only?: (call: KernelCall) => boolean) {
    const failures: string[] = [];
    const { backward } = recordKernels((startBackward) => {
      startBackward();
      for (const call of [...calls.values()].filter(only ?? (() => true))) {
        const comparisons = checkKernelGradient(call, { samples: 3 });
        const where = `${call.kernelName} ${JSON.stringify(call.attrs)} (${[...call.plugins][0]})`;
        const bad = comparisons.filter((c) => !(c.error < TOLERANCE));
        if (bad.length) failures.push(`${where}: ${JSON.stringify(bad[0])}`);
        if (!comparisons.length && call.inputs.some((input) => input.dtype === 'float32')) failures.push(`${where}: no point checked`);
      }
    });
    return { failures, backward };
  }

  test('each has a gradient that agrees with central finite differences, and together they cover every backward kernel', () => {
    expect(calls.size).toBeGreaterThan(30);
    const { failures, backward } = checkAll();
    expect(failures).toEqual([]);
    const unchecked = [...pluginBackward.keys()].filter((kernel) => !backward.has(kernel) && !CHECKED_ELSEWHERE[kernel]);
    expect(unchecked.map((kernel) => `${kernel} (${[...pluginBackward.get(kernel)!][0]})`)).toEqual([]);
  });

  test("fails with tfjs's own ResizeNearestNeighborGrad, which the heads' upsampling runs", () => {
    const upsampling = (call: KernelCall) => call.kernelName === tf.ResizeNearestNeighbor;
    expect([...calls.values()].filter(upsampling).length).toBeGreaterThan(0);
    const { failures } = withTfjsKernel(tf.ResizeNearestNeighborGrad, () => checkAll(upsampling));
    expect(failures.length).toBeGreaterThan(0);
  });
});
