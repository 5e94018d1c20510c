import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import { writeFileAtomic } from './atomic';

/** File names inside a model directory (the tfjs layers-model format). */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Saves `model` as `dir/model.json` + `dir/weights.bin` (the layout tfjs-node's file:// handler writes, which is
 * not available with the pure-JS backends). Weights are written before the JSON that points at them.
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(path.join(dir, WEIGHTS_BIN), weights);
      writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads a model saved by `saveModel`; custom layers must be registered first (importing their modules does it). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const jsonFile = path.join(dir, MODEL_JSON);
  const weightsFile = path.join(dir, WEIGHTS_BIN);
  for (const file of [jsonFile, weightsFile]) {
    if (!fs.existsSync(file)) throw new AcafError(`cannot load model: ${file} does not exist`);
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as tf.io.ModelJSON;
  } catch (error) {
    throw new AcafError(`cannot load model: ${jsonFile} is not valid JSON (${(error as Error).message})`);
  }
  const weightSpecs = modelJson.weightsManifest?.flatMap((group) => group.weights) ?? [];
  const buffer = fs.readFileSync(weightsFile);
  const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
  } catch (error) {
    throw new AcafError(`cannot load model from ${dir}: ${(error as Error).message}`);
  }
}
