import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { curveDifference, LOSS_CURVE_TOLERANCE, lossCurveDifference, moveByOneUlp } from '../src/bench/loss-parity';

/**
 * No correctness loss on wasm: 5 SGD steps of small networks from the same weights give the same losses as on the
 * cpu backend, within LOSS_CURVE_TOLERANCE of how far the cpu's curve moves. The full-size check is `acaf bench --check`.
 */
const cases = [
  // conv, max-pool, dense (the dense gradients run the replaced BatchMatMul).
  {
    network: 'simple-cnn',
    networkOptions: { widthMultiplier: 0.25 },
    inputShape: [12, 12, 3] as [number, number, number],
    batch: 4,
    learningRate: 0.01,
  },
  // batch norm, strided 1x1 and 3x3 convolutions, projection shortcuts, global pooling. At lr 0.01 batch norm over 8
  // images makes 5 steps chaotic for some initial weights (float32 rounding grows past 1e-4 on cpu vs wasm alike);
  // at 0.001 the loss still falls by more than 1 and every seed tried (1-5) agrees within 1e-5.
  {
    network: 'resnet18',
    networkOptions: { widthMultiplier: 0.125, variant: 'standard' },
    inputShape: [32, 32, 3] as [number, number, number],
    batch: 8,
    learningRate: 0.001,
  },
  // Grouped convolutions and local response normalisation; inception branches and their concatenation; dense blocks
  // and transitions with average pooling. Small inputs and rates at which 5 steps move the loss without amplifying
  // last-bit differences (densenet121 at width 1/16 caught float32 partial sums in batch norm's gradient sums).
  {
    network: 'alexnet',
    networkOptions: { widthMultiplier: 0.125 },
    inputShape: [16, 16, 3] as [number, number, number],
    batch: 8,
    learningRate: 1e-4,
  },
  {
    network: 'googlenet',
    networkOptions: { widthMultiplier: 0.125 },
    inputShape: [16, 16, 3] as [number, number, number],
    batch: 8,
    learningRate: 3e-4,
  },
  {
    network: 'densenet121',
    networkOptions: { widthMultiplier: 0.0625 },
    inputShape: [16, 16, 3] as [number, number, number],
    batch: 8,
    learningRate: 1e-4,
  },
];

test.each(cases.map((c) => [c.network, c] as const))(
  '%s: 5 SGD steps on wasm match cpu',
  async (_name, { network, networkOptions, inputShape, batch, learningRate }) => {
    const before = tf.memory().numTensors;
    const { cpu, other, difference } = await lossCurveDifference(
      { network, networkOptions, batch, steps: 5, inputShape, numClasses: 5, learningRate },
      'wasm',
    );
    expect(difference).toBeLessThan(LOSS_CURVE_TOLERANCE);
    // The losses must move, or equal curves would prove nothing.
    expect(Math.abs(cpu[4] - cpu[0])).toBeGreaterThan(1e-3);
    expect(other).toHaveLength(5);
    expect(tf.memory().numTensors).toBe(before);
  },
);

test('curves differ relative to how far the reference moves, not to the loss', () => {
  // Moving 0.2, off by 0.002 at one step: a hundredth of the movement.
  expect(curveDifference([2.3, 2.2, 2.1], [2.3, 2.2, 2.102])).toBeCloseTo(0.01, 12);
  // Off by 1e-4 of a loss of 2.3 where the curve moves only 1e-3: a quarter of what training did.
  expect(curveDifference([2.3, 2.2995, 2.299], [2.3, 2.2995, 2.299 + 2.3e-4])).toBeCloseTo(0.23, 9);
  expect(curveDifference([2.3, 2.2995, 2.299], [2.3, 2.2995, 2.299 + 2.3e-4])).toBeGreaterThan(LOSS_CURVE_TOLERANCE);
  expect(curveDifference([1, 0.5], [1, 0.5])).toBe(0);
});

test('the noise floor moves every non-zero weight by one or two float32 ulps, some up and some down, the same each time', () => {
  const weights = [Float32Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? 0 : Math.fround((i - 200) * 0.37 + 1e-3 * i)))];
  const [moved] = moveByOneUlp(weights);
  const ulp = (value: number) => {
    const bits = new Float32Array([Math.abs(value)]);
    const next = new Uint32Array(bits.buffer);
    next[0] += 1;
    return bits[0] - Math.abs(value);
  };
  let up = 0;
  weights[0].forEach((value, i) => {
    if (value === 0) return expect(moved[i]).toBe(0);
    const steps = Math.abs(moved[i] - value) / ulp(value);
    expect(steps).toBeGreaterThanOrEqual(0.5);
    expect(steps).toBeLessThanOrEqual(2);
    if (Math.abs(moved[i]) > Math.abs(value)) up++;
  });
  expect(up).toBeGreaterThan(100);
  expect(up).toBeLessThan(300);
  expect(moveByOneUlp(weights)[0]).toEqual(moved);
});
