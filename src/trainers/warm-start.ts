import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import { MODEL_JSON } from '../io/model-files';
import { readWeights, runPaths } from '../run-directory';

/** `model.init`: start from another run's weights (the authors' `--model_dir` restore) instead of the initialisers. */
export interface WarmStartOptions {
  /** A run directory (its checkpoints/last), a checkpoint directory, or a model.json. */
  from: string;
  /** A weight with the same name and another shape is an error (true) or left at its initial value (false). */
  strict: boolean;
}

/** What a warm start did, as env.json records it. */
export interface WarmStartReport {
  /** The model.json the weights came from. */
  from: string;
  /** Model weights given the saved values (names as in model.json, e.g. `conv1/kernel`). */
  loaded: string[];
  /** Model weights the saved model does not have: they keep their initial values. */
  missing: string[];
  /** Model weights saved with another shape (only with strict: false): they keep their initial values. */
  otherShape: { name: string; saved: number[]; model: number[] }[];
  /** Saved weights the model has no place for. */
  unused: string[];
}

/** The model.json `from` names: itself, the one in a checkpoint directory, or a run's checkpoints/last. */
function modelJsonOf(from: string): string {
  const candidates = [from, path.join(from, MODEL_JSON), path.join(runPaths(from).checkpoint('last'), MODEL_JSON)];
  const found = candidates.find(
    (candidate) => path.basename(candidate) === MODEL_JSON && fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
  );
  if (!found) throw new AcafError(`model.init.from: ${from} is not a run directory, a checkpoint directory or a model.json`, 2);
  return found;
}

/**
 * Gives the model's weights the values saved under the same name (layer name and weight, e.g. `conv1/kernel`),
 * so a run can start from another run's checkpoint even when the networks differ in some layers.
 */
export function warmStart(model: tf.LayersModel, options: WarmStartOptions, cwd: string): WarmStartReport {
  const modelJson = modelJsonOf(path.resolve(cwd, options.from));
  let saved: { name: string; tensor: tf.Tensor }[];
  try {
    saved = readWeights(path.dirname(modelJson), MODEL_JSON);
  } catch (error) {
    throw new AcafError(`model.init.from: cannot read the weights of ${modelJson}: ${(error as Error).message}`, 2);
  }
  const byName = new Map(saved.map((weight) => [weight.name, weight.tensor]));
  const report: WarmStartReport = { from: modelJson, loaded: [], missing: [], otherShape: [], unused: [] };
  try {
    const assignments: [tf.LayerVariable, tf.Tensor][] = [];
    for (const variable of model.weights) {
      const name = variable.originalName;
      const tensor = byName.get(name);
      if (!tensor) {
        report.missing.push(name);
      } else if (!tf.util.arraysEqual(tensor.shape, variable.shape as number[])) {
        const shapes = { name, saved: tensor.shape, model: variable.shape as number[] };
        if (options.strict) {
          throw new AcafError(
            `model.init: weight '${name}' has shape [${shapes.saved.join(', ')}] in ${modelJson} and [${shapes.model.join(', ')}] in the model (strict: false loads the rest)`,
            2,
          );
        }
        report.otherShape.push(shapes);
      } else {
        assignments.push([variable, tensor]);
        report.loaded.push(name);
      }
    }
    const modelNames = new Set(model.weights.map((variable) => variable.originalName));
    report.unused = saved.map((weight) => weight.name).filter((name) => !modelNames.has(name));
    for (const [variable, tensor] of assignments) variable.write(tensor);
    return report;
  } finally {
    tf.dispose(saved.map((weight) => weight.tensor));
  }
}

/** One line for the terminal: where from, how many weights loaded, and which were not. */
export function describeWarmStart(report: WarmStartReport): string {
  const list = (names: string[]) => (names.length > 4 ? `${names.slice(0, 4).join(', ')}...` : names.join(', '));
  const parts = [`warm start from ${report.from}: ${report.loaded.length} weights loaded`];
  if (report.missing.length) parts.push(`${report.missing.length} not in it, left initialised (${list(report.missing)})`);
  if (report.otherShape.length)
    parts.push(`${report.otherShape.length} of another shape, left initialised (${list(report.otherShape.map((w) => w.name))})`);
  if (report.unused.length) parts.push(`${report.unused.length} saved ones unused (${list(report.unused)})`);
  return parts.join('; ');
}
