import * as tf from '@tensorflow/tfjs';
import { activations } from '../src/registry';
import { ActivationLayer } from '../src/builders/activations/activation-layer';
import Ajv from 'ajv';
import { activationCurve } from '../src/builders/activations/inspect';
import { pluginSlots, pluginSlotSchema } from '../src/config/schema';
import { AcafError } from '../src/errors';
import { applyEager, buildActivation, SHARE_MODES, useCpuBackend } from './helpers/activations';

beforeAll(useCpuBackend);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.log1p(Math.exp(x));
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** Values computed by hand (plain JS math), per registered activation: [options, z, f(z)]. */
const HAND_VALUES: Record<string, [Record<string, unknown>, number, number][]> = {
  as: [
    [{}, 0, 0.5],
    [{ init: { a: 2, b: 3, c: 0.5, d: -1 } }, 1, 3 * sigmoid(2.5) - 1],
  ],
  at: [
    [{}, 1, Math.tanh(1)],
    [{ init: { a: 2, b: 3, c: 0.5, d: -1 } }, -1, 3 * Math.tanh(-1.5) - 1],
  ],
  ar: [
    [{}, -2, -2],
    [{ init: { a: 2, b: 0.5, c: -1, d: 0 } }, 1, 1],
    [{ init: { a: 2, b: 0.5, c: -1, d: 0 } }, -2, -1],
    [{ init: { a: 2, b: 0.5, c: -1, d: 0 } }, 3, 5],
  ],
  'alpha-relu': [
    [{}, -2, 0],
    [{ init: { alpha: 0.3 } }, -2, -0.6],
    [{ init: { alpha: 0.3 } }, 2, 2],
  ],
  prelu: [
    [{}, -2, -0.5],
    [{ init: { slope: 0.1 } }, -2, -0.2],
    [{}, 3, 3],
  ],
  relu: [
    [{}, -2, 0],
    [{}, 1.5, 1.5],
  ],
  sigmoid: [[{}, 1, sigmoid(1)]],
  tanh: [[{}, -0.5, Math.tanh(-0.5)]],
  lrelu: [
    [{}, -2, -0.4],
    [{ slope: 0.1 }, -2, -0.2],
    [{}, 2, 2],
  ],
  elu: [
    [{}, -1, Math.exp(-1) - 1],
    [{}, 2, 2],
  ],
  selu: [
    [{}, -1, SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1)],
    [{}, 2, SELU_SCALE * 2],
  ],
  softplus: [
    [{}, 1, softplus(1)],
    [{}, -3, softplus(-3)],
  ],
  swish: [[{}, 1, sigmoid(1)]],
  'swish-beta': [
    [{}, 1, sigmoid(1)],
    [{ init: { beta: 2 } }, -1.5, -1.5 * sigmoid(-3)],
  ],
  mish: [[{}, 1, Math.tanh(softplus(1))]],
  gelu: [
    [{}, 1, 0.8413447460685429],
    [{}, -1, -0.15865525393145707],
  ],
  hardswish: [
    [{}, 1, 4 / 6],
    [{}, -4, 0],
    [{}, 4, 4],
  ],
};

function evaluate(layer: tf.layers.Layer, z: number[]): Float32Array {
  return tf.tidy(() => (layer.apply(tf.tensor2d([z])) as tf.Tensor).dataSync() as Float32Array);
}

test('every registered activation has a one-line description and hand-computed values', () => {
  for (const plugin of activations.list()) {
    expect(plugin.description).toMatch(/^[^\n]{5,120}$/);
    expect(HAND_VALUES[plugin.name]).toBeDefined();
  }
});

describe.each(activations.names())('%s', (type) => {
  test('matches hand-computed values', () => {
    for (const [options, z, expected] of HAND_VALUES[type]) {
      const layer = buildActivation(type, options);
      expect(evaluate(layer, [z])[0]).toBeCloseTo(expected, 5);
      layer.dispose();
    }
  });

  test('stays finite, with finite gradients, for |z| up to 1e4', () => {
    const before = tf.memory().numTensors;
    const layer = buildActivation(type);
    const z = tf.tidy(() => tf.variable(tf.tensor2d([[-1e4, -1e3, -30, 30, 1e3, 1e4]])));
    const output = applyEager(layer, z);
    const variables = [z, ...layer.trainableWeights.map((weight) => weight.read() as tf.Variable)];
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(z) as tf.Tensor) as tf.Scalar, variables);
    const finite = (t: tf.Tensor) => [...t.dataSync()].every(Number.isFinite);
    expect(finite(output)).toBe(true);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const grad of Object.values(grads)) expect(finite(grad)).toBe(true);
    tf.dispose([output, value, ...Object.values(grads)]);
    tf.disposeVariables();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * Inputs of shape [2, 3, 4]: points near the kinks of relu-like functions (0), of hardswish (+-3) and of ar at
 * the test parameters below (-1/3), each at least 0.02 from its kink so that the step H never crosses one.
 */
const POINTS = [-3.05, -2.2, -1.1, -0.4, -0.3, -0.05, 0.05, 0.3, 0.9, 1.7, 2.95, 3.6];
const Z = [...POINTS, ...POINTS.map((point) => -point * 0.8)];
const LOSS_WEIGHTS = Z.map((_, i) => Math.sin(1.7 * i + 0.3));
const H = 5e-3;
/** Moves parameters off their symmetric initial values (ar starts with a tie everywhere): a+0.3, b-0.6, c+0.2, d-0.1. */
const PARAMETER_OFFSETS = [0.3, -0.6, 0.2, -0.1];

/** sum(w * f(z)) in float64 from the float32 forward values, so rounding in the sum does not swamp the difference. */
function weightedLoss(layer: tf.layers.Layer, z: tf.Tensor): number {
  const f = Array.from(tf.tidy(() => applyEager(layer, z).dataSync()));
  return f.reduce((sum: number, value: number, i: number) => sum + value * LOSS_WEIGHTS[i], 0);
}

function centralDifference(variable: tf.Variable, index: number, loss: () => number): number {
  const original = variable.dataSync().slice();
  const at = (delta: number) => {
    const moved = original.slice();
    moved[index] += delta;
    tf.tidy(() => variable.assign(tf.tensor(moved, variable.shape)));
    return loss();
  };
  const difference = (at(H) - at(-H)) / (2 * H);
  tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
  return difference;
}

describe.each(activations.names())('%s gradients', (type) => {
  test.each(SHARE_MODES)('match central differences for z and every parameter with share: %s', (share) => {
    const before = tf.memory().numTensors;
    const layer = buildActivation(type, { share }) as ActivationLayer;
    const z = tf.tidy(() => tf.variable(tf.tensor3d(Z, [2, 3, 4])));
    tf.dispose(applyEager(layer, z)); // builds the weights
    const parameters = layer.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const expectedShape = { network: [], layer: [], channel: [4], element: [3, 4] }[share];
    parameters.forEach((parameter, p) => {
      expect(parameter.shape).toEqual(expectedShape);
      // Distinct values per element, small enough to keep ar's kink near -1/3.
      const values = parameter.dataSync().map((value, k) => value + PARAMETER_OFFSETS[p] + 0.002 * ((k % 5) - 2));
      tf.tidy(() => parameter.assign(tf.tensor(values, parameter.shape)));
    });
    if (!layer.parameterNames.length) expect(layer.weights).toHaveLength(0);

    const weights = tf.tensor3d(LOSS_WEIGHTS, [2, 3, 4]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(z) as tf.Tensor, weights)) as tf.Scalar, [z, ...parameters]);
    for (const variable of [z, ...parameters]) {
      const analytic = grads[variable.name].dataSync();
      for (let k = 0; k < variable.size; k++) {
        const numeric = centralDifference(variable, k, () => weightedLoss(layer, z));
        const where = `${type} share=${share} ${variable.name}[${k}]`;
        expect({ where, error: Math.abs(analytic[k] - numeric) > 1e-3 + 1e-2 * Math.abs(numeric) ? [analytic[k], numeric] : 'ok' }).toEqual(
          {
            where,
            error: 'ok',
          },
        );
      }
    }
    tf.dispose([value, weights, ...Object.values(grads)]);
    tf.disposeVariables();
    expect(tf.memory().numTensors).toBe(before);
  });
});

test("ar at its initial tie sends the whole gradient to (a, c), as tf.maximum's greater-or-equal rule does", () => {
  const layer = buildActivation('ar') as ActivationLayer;
  const z = tf.tensor2d([[-2, -0.5, 0, 1, 3]]);
  tf.dispose(applyEager(layer, z));
  const { a, b, c, d } = Object.fromEntries(
    layer.trainableWeights.map((weight) => [weight.originalName.split('/').pop(), weight.read() as tf.Variable]),
  );
  const { grads } = tf.variableGrads(() => tf.sum(layer.apply(z) as tf.Tensor) as tf.Scalar, [a, b, c, d]);
  expect(grads[a.name].dataSync()[0]).toBeCloseTo(1.5); // sum of z
  expect(grads[c.name].dataSync()[0]).toBeCloseTo(5); // one per position
  expect(grads[b.name].dataSync()[0]).toBe(0);
  expect(grads[d.name].dataSync()[0]).toBe(0);
  tf.disposeVariables();
});

test('init sets starting values and freeze makes those parameters non-trainable', () => {
  const layer = buildActivation('as', { init: { a: 2, d: -0.5 }, freeze: ['b', 'd'] }) as ActivationLayer;
  tf.dispose(applyEager(layer, tf.zeros([1, 2])));
  const name = (weight: tf.LayerVariable) => weight.originalName.split('/').pop();
  expect(layer.trainableWeights.map(name)).toEqual(['a', 'c']);
  expect(layer.nonTrainableWeights.map(name)).toEqual(['b', 'd']);
  expect(layer.weights.map((weight) => [name(weight), weight.read().dataSync()[0]])).toEqual([
    ['a', 2],
    ['c', 0],
    ['b', 1],
    ['d', -0.5],
  ]);
  tf.disposeVariables();
});

test('an unknown parameter in init or freeze is a one-line error naming it', () => {
  expect(() => buildActivation('ar', { freeze: ['alpha'] }, 'stage1.act')).toThrow(
    new AcafError("activation 'ar' at 'stage1.act' has no parameter 'alpha'; parameters: a, b, c, d"),
  );
  expect(() => buildActivation('relu', { init: { a: 1 } })).toThrow(/has no parameter 'a'; parameters: \(none\)/);
});

test('share: element needs a known unit shape', () => {
  const layer = buildActivation('prelu', { share: 'element' }, 'head.act');
  expect(() => layer.apply(tf.input({ shape: [null, 4] }))).toThrow(
    "activation 'prelu' at 'head.act' with share: element needs a known input shape, got [, , 4]",
  );
});

describe('options schema and curves', () => {
  const slot = pluginSlots().find((candidate) => candidate.path === 'model.activation')!;
  const validate = new Ajv({ strict: true, useDefaults: true, discriminator: true, allErrors: true }).compile(pluginSlotSchema(slot));

  test('every plugin schema compiles in strict mode and fills defaults', () => {
    const options: Record<string, unknown> = { type: 'as', init: { c: 0.5 } };
    expect(validate(options)).toBe(true);
    expect(options).toEqual({ type: 'as', share: 'layer', init: { a: 1, b: 1, c: 0.5, d: 0 }, freeze: [] });
    const lrelu: Record<string, unknown> = { type: 'lrelu' };
    expect(validate(lrelu)).toBe(true);
    expect(lrelu).toEqual({ type: 'lrelu', share: 'layer', slope: 0.2 });
    expect(validate({ type: 'ar', freeze: ['alpha'] })).toBe(false);
    expect(validate({ type: 'relu', init: { a: 1 } })).toBe(false);
  });

  test('activationCurve evaluates a type with given values, or a layer at its current parameters', () => {
    const curve = activationCurve('ar', { b: 0, c: 1 }, { from: -2, to: 2, points: 5 });
    expect(curve).toEqual([-2, -1, 0, 1, 2].map((z) => ({ z, f: Math.max(z + 1, 0) })));
    expect(activationCurve('lrelu', { slope: 0.5 }, { from: -2, to: 0, points: 2 })).toEqual([
      { z: -2, f: -1 },
      { z: 0, f: 0 },
    ]);
    const layer = buildActivation('alpha-relu', { init: { alpha: 0.5 } }) as ActivationLayer;
    expect(activationCurve(layer, {}, { from: -4, to: 4, points: 3 }).map((point) => point.f)).toEqual([-2, 0, 4]); // before build: init
    tf.dispose(applyEager(layer, tf.zeros([1, 1])));
    expect(activationCurve(layer).length).toBe(101);
    expect(() => activationCurve('relu', { a: 2 })).toThrow("activation 'relu' has no parameter 'a'; parameters: (none)");
    expect(() => activationCurve('as', {}, { from: 1, to: 0, points: 3 })).toThrow(/range must be from < to/);
    tf.disposeVariables();
  });
});
