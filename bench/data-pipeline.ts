/**
 * Input-pipeline throughput: images/s of one training epoch of batches (32x32x3, batch 64) with crop, flip,
 * brightness and contrast augmentation and per-image standardisation, on synthetic data.
 *
 * Run: npx tsc -p tsconfig.json --outDir /tmp/acaf-bench && NODE_PATH=node_modules node /tmp/acaf-bench/bench/data-pipeline.js [images]
 * or import { benchDataPipeline } from another bench. Prints one line: `data-pipeline <images/s> images/s ...`.
 */
import { createPipeline } from '../src/data/pipeline';
import { makeSyntheticDataset } from '../src/data/synthetic';
import type { AugmentOptions, Normalization } from '../src/data/types';

export interface PipelineBenchResult {
  imagesPerSecond: number;
  images: number;
  seconds: number;
}

export function benchDataPipeline(
  images = 20000,
  batchSize = 64,
  augment: AugmentOptions = { crop: 4, flip: true, brightness: 63, contrast: 0.8 },
  normalize: Normalization = 'per-image',
): PipelineBenchResult {
  const dataset = makeSyntheticDataset({ shape: [32, 32, 3], classCount: 10, train: images, test: 1, noise: 40 }, 1);
  const pipeline = createPipeline(dataset, { augment, normalize }, 1);
  for (const _ of pipeline.trainBatches(0, batchSize)) break; // warm-up: JIT-compile the per-pixel loops
  const started = process.hrtime.bigint();
  let seen = 0;
  for (const batch of pipeline.trainBatches(1, batchSize)) seen += batch.size;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { imagesPerSecond: seen / seconds, images: seen, seconds };
}

if (require.main === module) {
  const result = benchDataPipeline(Number(process.argv[2]) || undefined);
  console.log(`data-pipeline ${result.imagesPerSecond.toFixed(0)} images/s (32x32x3, batch 64, crop 4 + flip + brightness + contrast, per-image standardisation; ${result.images} images in ${result.seconds.toFixed(2)} s)`);
}
