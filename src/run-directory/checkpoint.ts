import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import { saveModel } from '../io/model-files';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import type seedrandom from 'seedrandom';

/** What a run needs, besides weights and optimizer state, to continue exactly where it stopped. */
export interface CheckpointState {
  /** Epochs completed (1-based count). */
  epoch: number;
  best: { metric: string; value: number; epoch: number } | null;
  /** The seeded Math.random's (alea) state at the end of `epoch`. */
  random: seedrandom.State.Alea;
}

type NamedTensor = { name: string; tensor: tf.Tensor };

interface WeightsFile {
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

/** `<json>` (a tfjs weights manifest plus `extra` keys) describing the binary `<bin>`, both in `dir`. */
function writeWeights(dir: string, json: string, bin: string, { specs, data }: WeightsFile, extra: Record<string, unknown> = {}): void {
  writeFileAtomic(path.join(dir, bin), new Uint8Array(data));
  writeJsonAtomic(path.join(dir, json), { ...extra, weightsManifest: [{ paths: [bin], weights: specs }] });
}

/** The named tensors of the weights manifest `json` in `dir` and the binary it points at. */
export function readWeights(dir: string, json: string): NamedTensor[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, json), 'utf8')) as { weightsManifest: tf.io.WeightsManifestConfig };
  const specs = manifest.weightsManifest[0].weights;
  const bytes = fs.readFileSync(path.join(dir, manifest.weightsManifest[0].paths[0]));
  const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  return specs.map((spec) => ({ name: spec.name, tensor: decoded[spec.name] }));
}

/**
 * Saves weights, optimizer state and run state to `dir` (checkpoints/last or best). Everything is written to
 * `dir.tmp` first and swapped in by renames, so an interrupted save leaves the previous checkpoint intact.
 */
export async function saveCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: CheckpointState): Promise<void> {
  const staging = `${dir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  await saveModel(model, staging);
  const optimizerWeights = await optimizer.getWeights();
  writeWeights(staging, 'optimizer.json', 'optimizer.bin', await tf.io.encodeWeights(optimizerWeights), {
    className: optimizer.getClassName(),
  });
  tf.dispose(optimizerWeights.filter((weight) => weight.name === 'iter').map((weight) => weight.tensor));
  writeJsonAtomic(path.join(staging, 'state.json'), state);
  const previous = `${dir}.old`;
  fs.rmSync(previous, { recursive: true, force: true });
  if (fs.existsSync(dir)) fs.renameSync(dir, previous);
  fs.renameSync(staging, dir);
  fs.rmSync(previous, { recursive: true, force: true });
}

/** Restores a checkpoint's model weights (not the optimizer) into a model built from the run's config, e.g. to predict. */
export function loadModelWeights(dir: string, model: tf.LayersModel): void {
  if (!fs.existsSync(path.join(dir, 'model.json'))) throw new AcafError(`no checkpoint at ${dir}: model.json is missing`);
  const weights = readWeights(dir, 'model.json');
  if (
    weights.length !== model.weights.length ||
    weights.some((w, i) => !tf.util.arraysEqual(w.tensor.shape, model.weights[i].shape as number[]))
  ) {
    tf.dispose(weights.map((w) => w.tensor));
    throw new AcafError(`${dir}: the checkpoint's weights do not match the model built from the run's config.yaml`);
  }
  model.setWeights(weights.map((w) => w.tensor));
  tf.dispose(weights.map((w) => w.tensor));
}

/** Restores a checkpoint into a freshly built model and optimizer of the same config; returns its state. */
export async function loadCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<CheckpointState> {
  if (!fs.existsSync(path.join(dir, 'state.json'))) throw new AcafError(`no checkpoint to resume from: ${dir}/state.json is missing`);
  loadModelWeights(dir, model);
  const optimizerWeights = readWeights(dir, 'optimizer.json');
  await optimizer.setWeights(optimizerWeights);
  tf.dispose(optimizerWeights.map((w) => w.tensor));
  return JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as CheckpointState;
}
