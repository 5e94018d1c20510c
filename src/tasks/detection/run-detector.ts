import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig } from '../../config';
import type { DetectionExperimentConfig } from '../../config/types';
import type { LoadedSplit } from '../../detection/datasets/types';
import { readRgbImage } from '../../detection/image-io';
import { buildDetector } from '../../detection/model/detector';
import type { ImageDetections } from '../../detection/types';
import { AcafError } from '../../errors';
import { detectionDatasets } from '../../registry';
import { CheckpointName, loadModelWeights, runPaths } from '../../run-directory';
import { readCsv } from '../../run-directory/csv-read';
import { testBatches } from './batches';
import { detect } from './evaluate';

export const DATASET_SPLITS = ['train', 'test'];
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/** A run's detector applied to a split of its dataset (with ground truth) or to image files (without). */
export interface RunDetections {
  split: LoadedSplit;
  detections: ImageDetections[];
  hasTruth: boolean;
}

/**
 * Builds a detection run's detector from its config.yaml, loads a checkpoint's weights and detects on `inputs`:
 * nothing or 'test' / 'train' (that split of the run's dataset, the first `limit` images), or image files / folders.
 */
export async function detectWithRun(
  dir: string,
  inputs: string[],
  options: { checkpoint: CheckpointName; batchSize: number; limit?: number },
): Promise<RunDetections> {
  const config = runConfig(dir);
  const fromDataset = inputs.length === 0 || (inputs.length === 1 && DATASET_SPLITS.includes(inputs[0]));
  let split = fromDataset ? await datasetSplit(config, inputs[0] ?? 'test') : await imageFiles(inputs, classesOfRun(dir));
  if (options.limit !== undefined) split = firstImages(split, options.limit);
  const { inputSize } = config.data;
  const { model, head } = buildDetector(config.model, { inputShape: [inputSize, inputSize, 3], numClasses: split.dataset.classes.length });
  try {
    loadModelWeights(runPaths(dir).checkpoint(options.checkpoint), model);
    return { split, detections: detect(model, head, testBatches(split, options.batchSize, inputSize)), hasTruth: fromDataset };
  } finally {
    model.dispose();
  }
}

function firstImages(split: LoadedSplit, count: number): LoadedSplit {
  return { dataset: { ...split.dataset, images: split.dataset.images.slice(0, count) }, samples: split.samples.slice(0, count) };
}

function runConfig(dir: string): DetectionExperimentConfig {
  const file = runPaths(dir).config;
  if (!fs.existsSync(file)) throw new AcafError(`${dir} is not a run directory: ${file} is missing`);
  const config = resolveConfig(file);
  if (config.task !== 'detection') throw new AcafError(`${dir}: acaf detect needs a detection run; this run has task: ${config.task}`);
  return config;
}

async function datasetSplit(config: DetectionExperimentConfig, which: string): Promise<LoadedSplit> {
  const splits = await detectionDatasets.get(config.data.type, 'data.type').build(config.data, { cwd: process.cwd(), seed: config.seed });
  return which === 'train' ? splits.train : splits.test;
}

/** Class names of a run in label order, from its per-class log (written at each evaluation), for images without a dataset. */
function classesOfRun(dir: string): string[] {
  const file = runPaths(dir).table('per_class_ap.csv');
  if (!fs.existsSync(file)) throw new AcafError(`${file} is missing: the run has not been evaluated yet, so its class names are unknown`);
  return [...new Set(readCsv(file).map((row) => row.class))];
}

/** The given image files, and the images in the given folders, as a split without ground truth. */
async function imageFiles(inputs: string[], classes: string[]): Promise<LoadedSplit> {
  const files = inputs.flatMap((input) => {
    if (!fs.existsSync(input))
      throw new AcafError(`no such image file or folder: ${input} (or give a split: ${DATASET_SPLITS.join(', ')})`);
    if (!fs.statSync(input).isDirectory()) return [input];
    return fs
      .readdirSync(input)
      .filter((name) => IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()))
      .sort()
      .map((name) => path.join(input, name));
  });
  if (!files.length) throw new AcafError(`no .png or .jpg images in ${inputs.join(', ')}`);
  const empty = {
    boxes: new Float32Array(0),
    labels: new Int32Array(0),
    difficult: new Uint8Array(0),
    truncated: new Uint8Array(0),
    crowd: new Uint8Array(0),
  };
  const split: LoadedSplit = {
    dataset: { name: 'images', classes, categoryIds: classes.map((_, label) => label + 1), images: [] },
    samples: [],
  };
  for (const [index, file] of files.entries()) {
    const image = await readRgbImage(file);
    const entry = { ...empty, id: index + 1, file: path.resolve(file), width: image.width, height: image.height };
    split.dataset.images.push(entry);
    split.samples.push({ image, annotations: entry });
  }
  return split;
}
