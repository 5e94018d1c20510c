import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backends';
import type { BackendName } from '../backends/types';
import { buildModel } from '../builders/model';
import { activations, networks, optimizers } from '../registry';
import { SeededMathRandom } from '../trainers/random';
import { trainStep } from '../tasks/classification/train-step';
import { syntheticBatch } from './training-step-timer';

export interface LossParitySpec {
  network: string;
  /** Options beside the network's defaults, e.g. a small widthMultiplier for quick checks. */
  networkOptions?: Record<string, unknown>;
  batch: number;
  steps: number;
  inputShape: [number, number, number];
  numClasses: number;
  /** Plain SGD's rate; 0.01 by default. */
  learningRate?: number;
  /** Seeds the initial weights, so that a check is the same every time it runs; 1 by default. */
  seed?: number;
}

/**
 * The loss of each of `steps` SGD steps on `backend`, starting from `initialWeights` (or fresh ones, returned so
 * that another backend can start from the same point). Dropout would draw different masks: use networks without it.
 */
export async function lossCurve(
  spec: LossParitySpec,
  backend: BackendName,
  initialWeights?: Float32Array[],
): Promise<{ losses: number[]; initialWeights: Float32Array[] }> {
  await selectBackend(backend, { training: true });
  const random = new SeededMathRandom(spec.seed ?? 1);
  const { model } = buildModel(
    {
      network: networks.withDefaults(spec.network, { dropout: 0, ...spec.networkOptions }, '--networks'),
      activation: activations.withDefaults('relu'),
    },
    { inputShape: spec.inputShape, numClasses: spec.numClasses },
  );
  random.restore();
  if (initialWeights) {
    const weights = model.getWeights().map((weight, index) => tf.tensor(initialWeights[index], weight.shape));
    model.setWeights(weights);
    tf.dispose(weights);
  }
  const startWeights = model.getWeights().map((weight) => weight.dataSync() as Float32Array);
  const { optimizer } = optimizers.build('sgd', optimizers.withDefaults('sgd', { lr: spec.learningRate ?? 0.01 }), undefined);
  const batch = syntheticBatch(spec.batch, spec.inputShape, spec.numClasses);
  const settings = { numClasses: spec.numClasses, labelSmoothing: 0, weightDecay: 0, outputSoftmax: false };
  const losses = Array.from({ length: spec.steps }, () => trainStep(model, optimizer, batch, settings).loss);
  model.dispose();
  optimizer.dispose();
  return { losses, initialWeights: startWeights };
}

/**
 * How far two loss curves differ, relative to how far the reference curve moves over its steps (its highest loss
 * minus its lowest): the largest difference at any step, divided by that movement. Relative to the loss itself, a
 * check could not fail where the loss is large and moves little (a 1e-4 error on a loss of 2.3 is a quarter of a
 * 1e-3 movement); relative to the movement, it says how much of what training did the other backend got wrong.
 */
export function curveDifference(reference: number[], other: number[]): number {
  const movement = Math.max(...reference) - Math.min(...reference);
  const worst = Math.max(...reference.map((loss, step) => Math.abs(other[step] - loss)));
  return worst === 0 ? 0 : worst / movement;
}

/** The largest curveDifference a backend may show against the cpu backend (`acaf bench --check`, the parity test). */
export const LOSS_CURVE_TOLERANCE = 1e-3;

/**
 * The weights with every value moved by about one float32 ulp, up or down (a fixed pseudo-random pattern): the size
 * of the differences between two correct implementations that add in different orders.
 */
export function moveByOneUlp(weights: Float32Array[]): Float32Array[] {
  let state = 7;
  return weights.map((values) =>
    values.map((value) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return Math.fround(value * (1 + (state & 1024 ? 1 : -1) * 2 ** -23));
    }),
  );
}

/**
 * The curveDifference between the loss curves of `backend` and of the cpu backend (the oracle) from the same weights.
 * With `noiseFloor`, also the cpu's own difference when every starting weight moves by one ulp: the
 * curve's sensitivity to last-bit changes. Where that is as large as the backend's difference, the steps amplify
 * last-bit differences (batch norm over few values does), which any backend that adds in another order than the cpu
 * backend makes; a backend's difference far above it points to a kernel error instead.
 */
export async function lossCurveDifference(
  spec: LossParitySpec,
  backend: BackendName,
  options: { noiseFloor?: boolean } = {},
): Promise<{ cpu: number[]; other: number[]; difference: number; cpuNoiseFloor?: number }> {
  const cpu = await lossCurve(spec, 'cpu');
  const other = await lossCurve(spec, backend, cpu.initialWeights);
  const difference = curveDifference(cpu.losses, other.losses);
  if (!options.noiseFloor) return { cpu: cpu.losses, other: other.losses, difference };
  const moved = await lossCurve(spec, 'cpu', moveByOneUlp(cpu.initialWeights));
  return { cpu: cpu.losses, other: other.losses, difference, cpuNoiseFloor: curveDifference(cpu.losses, moved.losses) };
}
