/**
 * Input-pipeline throughput (`acaf bench` reports it): images/s of one training epoch of batches with crop, flip,
 * brightness and contrast augmentation and per-image standardisation, on synthetic data of the benchmark's shape.
 */
import { createPipeline } from '../data/pipeline';
import { makeSyntheticDataset } from '../data/synthetic';
import type { AugmentOptions, Normalization } from '../data/types';

export interface PipelineBenchResult {
  imagesPerSecond: number;
  images: number;
  seconds: number;
}

export function benchDataPipeline(
  images = 20000,
  batchSize = 64,
  shape: [number, number, number] = [32, 32, 3],
  augment: AugmentOptions = { crop: 4, flip: true, brightness: 63, contrast: 0.8 },
  normalize: Normalization = 'per-image',
): PipelineBenchResult {
  const dataset = makeSyntheticDataset({ shape, classCount: 10, train: images, test: 1, noise: 40 }, 1);
  const pipeline = createPipeline(dataset, { augment, normalize }, 1);
  for (const _ of pipeline.trainBatches(0, batchSize)) break; // warm-up: JIT-compile the per-pixel loops
  const started = process.hrtime.bigint();
  let seen = 0;
  for (const batch of pipeline.trainBatches(1, batchSize)) seen += batch.size;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { imagesPerSecond: seen / seconds, images: seen, seconds };
}
