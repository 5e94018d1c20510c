import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { resolveConfig } from '../config';
import type { DetectionExperimentConfig } from '../config/types';
import { writeCocoResults, toCocoResults } from '../detection/coco-results';
import type { LoadedSplit } from '../detection/datasets/types';
import { drawDetections } from '../detection/draw-detections';
import { readRgbImage } from '../detection/image-io';
import { buildDetector } from '../detection/model/detector';
import { AcafError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { detectionDatasets } from '../registry';
import { CheckpointName, loadModelWeights, runPaths } from '../run-directory';
import { readCsv } from '../run-directory/csv-read';
import { testBatches } from '../tasks/detection/batches';
import { cocoGroundTruth, detect, scoreDetections } from '../tasks/detection/evaluate';

const SPLITS = ['train', 'test'];
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export default class Detect extends AcafCommand {
  static override description =
    "Run a detection run's trained detector on a dataset split or on image files: COCO-format detections (detections.json, what `acaf detection eval` reads; with a split also its ground truth, ground-truth.json) and PNGs with the predicted boxes, class names and scores drawn (and the ground truth, dashed, where known)";
  static override examples = [
    '<%= config.bin %> detect runs/detection-shapes/20250101-120000 test --out detect-shapes',
    '<%= config.bin %> detect runs/detection-shapes/20250101-120000 photos/*.jpg --out detect-photos --min-score 0.5',
  ];
  static override strict = false;
  static override args = {
    run: Args.string({ description: 'run directory of a detection run', required: true }),
    inputs: Args.string({ description: "'test' or 'train' (a split of the run's dataset, default test), or image files / folders" }),
  };
  static override flags = {
    out: Flags.string({ description: 'folder to write detections.json and images/ to', required: true }),
    checkpoint: Flags.string({ description: 'which checkpoint of the run', options: ['best', 'last'], default: 'best' }),
    'min-score': Flags.string({
      description: 'draw detections scoring at least this (all are written to detections.json)',
      default: '0.3',
    }),
    images: Flags.integer({ description: 'draw at most this many images (the first ones)', default: 50, min: 0 }),
    'batch-size': Flags.integer({ description: 'images per forward pass', default: 32, min: 1 }),
  };

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Detect);
    const minScore = Number(flags['min-score']);
    if (!(minScore >= 0 && minScore <= 1)) throw new AcafError(`--min-score: '${flags['min-score']}' is not a number in [0, 1]`, 2);
    const config = runConfig(args.run);
    await tf.setBackend('cpu');
    const inputs = (argv as string[]).slice(1);
    const { split, hasTruth } =
      inputs.length === 0 || (inputs.length === 1 && SPLITS.includes(inputs[0]))
        ? { split: await datasetSplit(config, inputs[0] ?? 'test'), hasTruth: true }
        : { split: await imageFiles(inputs, classesOfRun(args.run)), hasTruth: false };

    const { inputSize } = config.data;
    const { model, head } = buildDetector(config.model, {
      inputShape: [inputSize, inputSize, 3],
      numClasses: split.dataset.classes.length,
    });
    loadModelWeights(runPaths(args.run).checkpoint(flags.checkpoint as CheckpointName), model);
    const detections = detect(model, head, testBatches(split, flags['batch-size'], inputSize));
    model.dispose();

    fs.mkdirSync(path.join(flags.out, 'images'), { recursive: true });
    writeCocoResults(path.join(flags.out, 'detections.json'), toCocoResults(detections, split.dataset.categoryIds));
    if (hasTruth) writeFileAtomic(path.join(flags.out, 'ground-truth.json'), JSON.stringify(cocoGroundTruth(split.dataset)));
    const drawn = Math.min(flags.images, detections.length);
    for (let i = 0; i < drawn; i++) {
      const image = split.dataset.images[i];
      const png = await drawDetections({
        image: split.samples[i].image,
        detections: detections[i],
        truth: hasTruth ? image : undefined,
        classes: split.dataset.classes,
        minScore,
      });
      fs.writeFileSync(path.join(flags.out, 'images', `${String(image.id).padStart(6, '0')}-${path.parse(image.file).name}.png`), png);
    }

    const count = detections.reduce((sum, found) => sum + found.labels.length, 0);
    this.log(
      `${count} detections on ${detections.length} images -> ${path.join(flags.out, 'detections.json')}; ${drawn} drawn in ${path.join(flags.out, 'images')}`,
    );
    if (hasTruth) {
      const { row } = scoreDetections(split.dataset, detections);
      this.log(
        `mAP@0.5 ${row.map50.toFixed(3)}, COCO AP ${row.coco_ap.toFixed(3)} (acaf detection eval --gt ${path.join(flags.out, 'ground-truth.json')} --dt ${path.join(flags.out, 'detections.json')})`,
      );
    }
  }
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
    if (!fs.existsSync(input)) throw new AcafError(`no such image file or folder: ${input} (or give a split: ${SPLITS.join(', ')})`);
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
