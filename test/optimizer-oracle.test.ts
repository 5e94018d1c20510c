import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import type { OptimizerOptions } from '../src/builders/optimizers/types';
import { selectBackend } from '../src/backends';
import { optimizers } from '../src/registry';

/**
 * Each optimizer plugin's updates against its closed-form update rule computed independently in float64, over a
 * few steps with a changing learning rate, on f(w) = sum(a * w^2 / 2 + b * w) (gradient a * w + b). Options are
 * set away from their defaults and from each other, so a swapped beta1/beta2 or an ignored option fails.
 * The rules are TensorFlow's (the paper's framework), from the papers each optimizer cites. On cpu and on wasm (where
 * SGD and Momentum update every weight in one fused kernel call when the native kernels are built).
 */

const A = [1, 2, 0.5, 3, 1.5];
const B = [0.3, -0.2, 0.1, 0.05, -0.4];
const W0 = [1, -1, 2, 0.5, -0.3];
const RATES = [0.1, 0.05, 0.08, 0.02, 0.06];

type Rule = (w: number[], g: number[], lr: number, t: number) => number[];
/** One update rule with its state, over vectors in float64. */
type Oracle = (options: Record<string, number | boolean>) => Rule;

const zeros = () => A.map(() => 0);
const oracles: Record<string, Oracle> = {
  sgd: () => (w, g, lr) => w.map((wi, i) => wi - lr * g[i]),
  // TF MomentumOptimizer: v = m v + g; w -= lr v (Nesterov: w -= lr (g + m v)).
  momentum: ({ momentum: m, nesterov }) => {
    const v = zeros();
    return (w, g, lr) =>
      w.map((wi, i) => {
        v[i] = (m as number) * v[i] + g[i];
        return wi - lr * (nesterov ? g[i] + (m as number) * v[i] : v[i]);
      });
  },
  // Duchi et al. 2011: accumulate g^2 from the initial value; w -= lr g / sqrt(acc).
  adagrad: ({ initialAccumulatorValue }) => {
    const acc = A.map(() => initialAccumulatorValue as number);
    return (w, g, lr) =>
      w.map((wi, i) => {
        acc[i] += g[i] ** 2;
        return wi - (lr * g[i]) / Math.sqrt(acc[i]);
      });
  },
  // Zeiler 2012, Algorithm 1 (TF ApplyAdadelta): E[g^2] first, then the step from RMS[dx]_{t-1} / RMS[g]_t.
  adadelta: ({ rho, epsilon }) => {
    const eg = zeros();
    const eu = zeros();
    const [r, e] = [rho as number, epsilon as number];
    return (w, g, lr) =>
      w.map((wi, i) => {
        eg[i] = r * eg[i] + (1 - r) * g[i] ** 2;
        const update = (Math.sqrt(eu[i] + e) / Math.sqrt(eg[i] + e)) * g[i];
        eu[i] = r * eu[i] + (1 - r) * update ** 2;
        return wi - lr * update;
      });
  },
  // Kingma & Ba 2015, Algorithm 1.
  adam: ({ beta1, beta2, epsilon }) => {
    const m = zeros();
    const v = zeros();
    const [b1, b2, e] = [beta1 as number, beta2 as number, epsilon as number];
    return (w, g, lr, t) =>
      w.map((wi, i) => {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
        return wi - (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + e);
      });
  },
  // TF RMSPropOptimizer: ms = d ms + (1-d) g^2 (centered: minus mg^2, mg = d mg + (1-d) g); mom = mu mom + lr g / sqrt(. + eps).
  rmsprop: ({ decay, momentum, epsilon, centered }) => {
    const ms = zeros();
    const mg = zeros();
    const mom = zeros();
    const [d, mu, e] = [decay as number, momentum as number, epsilon as number];
    return (w, g, lr) =>
      w.map((wi, i) => {
        ms[i] = d * ms[i] + (1 - d) * g[i] ** 2;
        mg[i] = d * mg[i] + (1 - d) * g[i];
        const denominator = centered ? ms[i] - mg[i] ** 2 : ms[i];
        mom[i] = mu * mom[i] + (lr * g[i]) / Math.sqrt(denominator + e);
        return wi - mom[i];
      });
  },
};

/** Options for each case: every option away from its default. */
const cases: Record<string, Record<string, number | boolean>[]> = {
  sgd: [{}],
  momentum: [
    { momentum: 0.7, nesterov: false },
    { momentum: 0.7, nesterov: true },
  ],
  adagrad: [{ initialAccumulatorValue: 0.3 }],
  adadelta: [{ rho: 0.8, epsilon: 0.01 }],
  adam: [{ beta1: 0.8, beta2: 0.95, epsilon: 0.1 }],
  rmsprop: [
    { decay: 0.8, momentum: 0.5, epsilon: 0.1, centered: false },
    { decay: 0.8, momentum: 0.5, epsilon: 0.1, centered: true },
  ],
};

test('every registered optimizer has a closed-form oracle here', () => {
  expect(Object.keys(oracles).sort()).toEqual(optimizers.names());
});

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  beforeAll(() => selectBackend(backend, { training: true }));

  describe.each(optimizers.names().flatMap((name) => (cases[name] ?? [{}]).map((options) => [name, options] as const)))(
    '%s %j',
    (name, options) => {
      test('follows its update rule for five steps with a changing learning rate', () => {
        const { optimizer, setLearningRate } = optimizers.build(
          name,
          { type: name, lr: RATES[0], ...options } as OptimizerOptions,
          undefined,
        );
        const w = tf.variable(tf.tensor1d(W0));
        const a = tf.tensor1d(A);
        const b = tf.tensor1d(B);
        const rule = oracles[name](options);
        let expected = [...W0];
        RATES.forEach((lr, step) => {
          setLearningRate(lr);
          optimizer.minimize(() => tf.sum(tf.add(tf.mul(tf.mul(a, tf.square(w)), 0.5), tf.mul(b, w))) as tf.Scalar, false, [w]);
          expected = rule(
            expected,
            expected.map((wi, i) => A[i] * wi + B[i]),
            lr,
            step + 1,
          );
          const actual = Array.from(w.dataSync());
          actual.forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[i]))));
        });
        tf.dispose([w, a, b]);
        optimizer.dispose();
      });
    },
  );
});
