import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointState, saveCheckpoint } from '../../src/run-directory';

/** A dense 4 -> 3 model; its weights come from tfjs's initialisers. */
export function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, name: 'out' }).apply(input) as tf.SymbolicTensor });
}

/** Two Adam steps on a fixed least-squares problem, so the optimizer has moments and its beta powers. */
export function trainTwoSteps(model: tf.LayersModel, optimizer: tf.Optimizer): void {
  const x = tf.tensor2d([1, 2, 3, 4, -1, 0.5, 2, -3], [2, 4]);
  const y = tf.tensor2d([1, 0, 0, 0, 1, 0], [2, 3]);
  for (let step = 0; step < 2; step++) optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar);
  tf.dispose([x, y]);
}

export const BOUNDS = { epochs: 5, stepsPerEpoch: 4 };
export const STATE: CheckpointState = {
  epoch: 2,
  step: 1,
  partial: { sums: { train_loss: 1.5 }, seen: 8 },
  best: null,
  random: { i: 0, j: 0, c: 1, s0: 0.5, s1: 0.25, s2: 0.125 } as unknown as CheckpointState['random'],
};

/** A genuine checkpoint in a fresh temporary folder: `<root>/last`, with the model and optimizer that wrote it. */
export async function genuineCheckpoint(): Promise<{ root: string; dir: string; model: tf.LayersModel; optimizer: tf.Optimizer }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-checkpoint-'));
  const model = tinyModel();
  const optimizer = tf.train.adam(0.01, 0.8, 0.95);
  trainTwoSteps(model, optimizer);
  const dir = path.join(root, 'last');
  await saveCheckpoint(dir, model, optimizer, STATE);
  return { root, dir, model, optimizer };
}
