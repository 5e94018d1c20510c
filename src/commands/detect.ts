import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { toCocoResults, writeCocoResults } from '../detection/coco-results';
import { drawDetections } from '../detection/draw-detections';
import { AcafError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import type { CheckpointName } from '../run-directory';
import { cocoGroundTruth, scoreDetections } from '../tasks/detection/evaluate';
import { detectWithRun } from '../tasks/detection/run-detector';

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
    await tf.setBackend('cpu');
    const { split, detections, hasTruth } = await detectWithRun(args.run, (argv as string[]).slice(1), {
      checkpoint: flags.checkpoint as CheckpointName,
      batchSize: flags['batch-size'],
    });

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
