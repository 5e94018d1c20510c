import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type seedrandom from 'seedrandom';
import { AcafError } from '../errors';
import { syncDirectory, writeFileDurable, writeJsonAtomic } from '../io/atomic';
import { saveModel } from '../io/model-files';
import { CHECKPOINT_FILE, fileDigest, MANIFEST, readManifest, verifyManifest } from './checkpoint-manifest';
import { crashPoint } from './crash-points';
import { hiddenOptimizerState, restoreHiddenOptimizerState } from './optimizer-state';

/** What a run needs, besides weights and optimizer state, to continue exactly where it stopped. */
export interface CheckpointState {
  /** Epochs completed (1-based count). */
  epoch: number;
  /** Steps of epoch `epoch + 1` already trained: 0 at an epoch's end, more in a checkpoint saved on interrupt. */
  step: number;
  /**
   * Over those steps: each train column's sum, the images seen and the columns logged as their last step's value,
   * so the epoch's values come out as uninterrupted.
   */
  partial: { sums: Record<string, number>; seen: number; last?: Record<string, number> } | null;
  best: { metric: string; value: number; epoch: number } | null;
  /** The seeded Math.random's (alea) state at this point. */
  random: seedrandom.State.Alea;
}

/** How far a run can go: a checkpoint's state beyond it is corrupt. */
export interface RunBounds {
  epochs: number;
  stepsPerEpoch: number;
}

type NamedTensor = { name: string; tensor: tf.Tensor };

/** `<json>` (a tfjs weights manifest plus `extra` keys) describing the binary `<bin>`, both in `dir`. */
async function writeWeights(dir: string, json: string, bin: string, weights: NamedTensor[], extra: Record<string, unknown>): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(weights);
  writeFileDurable(path.join(dir, bin), new Uint8Array(data));
  writeFileDurable(path.join(dir, json), JSON.stringify({ ...extra, weightsManifest: [{ paths: [bin], weights: specs }] }));
}

function readJson(file: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    throw new AcafError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  throw new AcafError(`${file}: expected a JSON object`);
}

/** The named tensors of the weights manifest `json` in `dir` and the binary it points at, and its other keys. */
export function readWeights(dir: string, json: string): { weights: NamedTensor[]; extra: Record<string, unknown> } {
  const file = path.join(dir, json);
  const { weightsManifest, ...extra } = readJson(file) as { weightsManifest?: tf.io.WeightsManifestConfig };
  const group = Array.isArray(weightsManifest) ? weightsManifest[0] : undefined;
  if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new AcafError(`${file}: no weightsManifest`);
  const bin = path.join(dir, path.basename(String(group.paths[0])));
  const bytes = fs.readFileSync(bin);
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), group.weights);
  } catch (error) {
    throw new AcafError(`${bin}: does not hold the weights ${json} lists (${(error as Error).message.split('\n')[0]})`);
  }
  return { weights: group.weights.map((spec) => ({ name: spec.name, tensor: decoded[spec.name] })), extra };
}

/**
 * Saves weights, optimizer state and run state to `dir` (checkpoints/last or best), crash-safe at every point:
 * everything goes to `dir.tmp`, each file flushed to the disk, the manifest (sizes and checksums) last; then
 * `dir` moves to `dir.old`, `dir.tmp` to `dir`, each rename flushed. Whatever point a crash stops at, one of the
 * three holds a complete checkpoint and `newestCheckpoint` finds the newest.
 */
export async function saveCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: CheckpointState): Promise<void> {
  const staging = `${dir}.tmp`;
  const previous = `${dir}.old`;
  const parent = path.dirname(dir);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  await saveModel(model, staging);
  crashPoint('model-written');
  const optimizerWeights = await optimizer.getWeights();
  const hidden = hiddenOptimizerState(optimizer, optimizerWeights);
  await writeWeights(staging, CHECKPOINT_FILE.optimizerJson, CHECKPOINT_FILE.optimizerBin, [...optimizerWeights, ...hidden.weights], {
    className: optimizer.getClassName(),
    hiddenState: hidden.names,
  });
  tf.dispose(optimizerWeights.filter((weight) => weight.name === 'iter').map((weight) => weight.tensor));
  writeFileDurable(path.join(staging, CHECKPOINT_FILE.state), `${JSON.stringify(state, null, 2)}\n`);
  crashPoint('state-written');
  const files = Object.fromEntries(
    [
      CHECKPOINT_FILE.modelJson,
      CHECKPOINT_FILE.weights,
      CHECKPOINT_FILE.optimizerJson,
      CHECKPOINT_FILE.optimizerBin,
      CHECKPOINT_FILE.state,
    ].map((name) => [name, fileDigest(path.join(staging, name))]),
  );
  writeJsonAtomic(path.join(staging, MANIFEST), { files });
  syncDirectory(staging);
  crashPoint('staged');
  fs.rmSync(previous, { recursive: true, force: true });
  if (fs.existsSync(dir)) {
    fs.renameSync(dir, previous);
    syncDirectory(parent);
  }
  crashPoint('moved-aside');
  fs.renameSync(staging, dir);
  syncDirectory(parent);
  crashPoint('published');
  fs.rmSync(previous, { recursive: true, force: true });
}

/** A checkpoint's state.json, checked against what the run can reach. */
function readState(dir: string, bounds: RunBounds): CheckpointState {
  const file = path.join(dir, CHECKPOINT_FILE.state);
  const state = readJson(file) as Partial<CheckpointState>;
  const whole = (value: unknown, max: number) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
  if (!whole(state.epoch, bounds.epochs))
    throw new AcafError(`${file}: epoch ${String(state.epoch)} is not one of the run's 0..${bounds.epochs}`);
  const step = state.step ?? 0;
  if (!whole(step, bounds.stepsPerEpoch - 1) || (step > 0 && state.epoch === bounds.epochs))
    throw new AcafError(`${file}: step ${String(step)} is not within an epoch of ${bounds.stepsPerEpoch} steps after epoch ${state.epoch}`);
  if (typeof state.random !== 'object' || state.random === null) throw new AcafError(`${file}: no random state`);
  if (
    state.partial !== null &&
    state.partial !== undefined &&
    (typeof state.partial !== 'object' || typeof state.partial.seen !== 'number')
  )
    throw new AcafError(`${file}: partial epoch sums are malformed`);
  return { epoch: state.epoch!, step, partial: state.partial ?? null, best: state.best ?? null, random: state.random };
}

/**
 * The newest complete checkpoint among `dir`, `dir.tmp` and `dir.old` (a save interrupted by a crash leaves
 * one of them), with its state. One without a manifest is incomplete and passed over; one whose files differ
 * from its manifest is corrupt: a one-line error naming the file.
 */
export function newestCheckpoint(dir: string, bounds: RunBounds): { dir: string; state: CheckpointState } {
  const complete = [dir, `${dir}.tmp`, `${dir}.old`]
    .filter((candidate) => fs.existsSync(path.join(candidate, MANIFEST)))
    .map((candidate) => {
      verifyManifest(candidate, readManifest(candidate));
      return { dir: candidate, state: readState(candidate, bounds) };
    });
  if (!complete.length) throw new AcafError(`no checkpoint to resume from: ${dir} holds no complete checkpoint (${MANIFEST} is missing)`);
  const progress = ({ state }: { state: CheckpointState }) => state.epoch * bounds.stepsPerEpoch + state.step;
  return complete.reduce((newest, candidate) => (progress(candidate) > progress(newest) ? candidate : newest));
}

/**
 * Restores the newest complete checkpoint of `dir` into a freshly built model and optimizer of the same config;
 * returns its state. Every file is checked against the manifest's size and sha256 first.
 */
export async function loadCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  bounds: RunBounds,
): Promise<CheckpointState> {
  const found = newestCheckpoint(dir, bounds);
  setModelWeights(found.dir, model);
  const optimizerFile = path.join(found.dir, CHECKPOINT_FILE.optimizerJson);
  const saved = readWeights(found.dir, CHECKPOINT_FILE.optimizerJson);
  if (saved.extra.className !== optimizer.getClassName()) {
    tf.dispose(saved.weights.map((w) => w.tensor));
    throw new AcafError(
      `${optimizerFile}: saved by a ${String(saved.extra.className)} optimizer; the config builds ${optimizer.getClassName()}`,
    );
  }
  const hiddenNames = Array.isArray(saved.extra.hiddenState) ? (saved.extra.hiddenState as string[]) : [];
  const visible = saved.weights.slice(0, saved.weights.length - hiddenNames.length);
  await optimizer.setWeights(visible);
  restoreHiddenOptimizerState(optimizer, saved.weights.slice(visible.length), optimizerFile);
  tf.dispose(saved.weights.map((w) => w.tensor));
  return found.state;
}

/**
 * Restores a checkpoint's model weights (not the optimizer) into a model built from the run's config, e.g. to
 * predict; its files are checked against its manifest first.
 */
export function loadModelWeights(dir: string, model: tf.LayersModel): void {
  if (!fs.existsSync(path.join(dir, MANIFEST))) throw new AcafError(`no complete checkpoint at ${dir}: ${MANIFEST} is missing`);
  verifyManifest(dir, readManifest(dir));
  setModelWeights(dir, model);
}

function setModelWeights(dir: string, model: tf.LayersModel): void {
  const { weights } = readWeights(dir, CHECKPOINT_FILE.modelJson);
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
