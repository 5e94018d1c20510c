import { augments, drawAugmentation, NO_AUGMENTATION, writeAugmented } from './augment';
import { ChannelStats, channelStats, normalizeImage } from './normalize';
import { createRandom, permutation, STREAM } from './random';
import type { AugmentOptions, DataCommonOptions, ImageClassificationDataset, ImageSplit, Normalization } from './types';

export type { ChannelStats } from './normalize';
export { channelStats } from './normalize';

/** One batch, ready for `tf.tensor4d(images, [size, h, w, c])`; fresh arrays each time, so tensors may keep them. */
export interface ImageBatch {
  images: Float32Array;
  labels: Int32Array;
  size: number;
}

export interface BatchOptions {
  batchSize: number;
  /** Shuffle by a permutation drawn from (seed, epoch); otherwise split order. */
  shuffle?: boolean;
  seed?: number;
  epoch?: number;
  /** Train split only. */
  augment?: AugmentOptions;
  normalize?: Normalization;
  /** Needed for normalize: 'dataset'. */
  stats?: ChannelStats;
  /** Drop the last batch when it is smaller than batchSize. */
  dropLast?: boolean;
}

/** Batches in one epoch. */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * Streams a split's batches: pixels stay uint8 until each batch is built, the only per-epoch state is the
 * permutation, and everything random is drawn from (seed, epoch), so an epoch is the same whenever it runs.
 */
export function* batches(split: ImageSplit, shape: [number, number, number], options: BatchOptions): Generator<ImageBatch> {
  const { batchSize, seed = 0, epoch = 0, normalize = 'none' } = options;
  const order = options.shuffle ? permutation(split.count, createRandom(seed, epoch, STREAM.shuffle)) : undefined;
  const augment = augments(options.augment) ? options.augment : undefined;
  const random = createRandom(seed, epoch, STREAM.augment);
  const imageSize = shape[0] * shape[1] * shape[2];
  const steps = batchCount(split.count, batchSize, options.dropLast);
  for (let step = 0; step < steps; step++) {
    const start = step * batchSize;
    const size = Math.min(batchSize, split.count - start);
    const images = new Float32Array(size * imageSize);
    const labels = new Int32Array(size);
    for (let item = 0; item < size; item++) {
      const index = order ? order[start + item] : start + item;
      labels[item] = split.labels[index];
      const draw = augment ? drawAugmentation(random, augment) : NO_AUGMENTATION;
      writeAugmented(split.images, index * imageSize, images, item * imageSize, shape, augment?.crop ?? 0, draw);
      normalizeImage(images, item * imageSize, imageSize, shape[2], normalize, options.stats);
    }
    yield { images, labels, size };
  }
}

/** A dataset with its common options applied: what the trainer iterates. */
export interface DataPipeline {
  dataset: ImageClassificationDataset;
  /** Channel statistics of the train split, when normalize is 'dataset'. */
  stats?: ChannelStats;
  /** Shuffled, augmented training batches of one epoch. */
  trainBatches(epoch: number, batchSize: number): Generator<ImageBatch>;
  /** Test batches in split order: never shuffled, never augmented. */
  testBatches(batchSize: number): Generator<ImageBatch>;
  stepsPerEpoch(batchSize: number): number;
}

/** The pipeline of a loaded dataset with the config's `augment` and `normalize`; `seed` drives shuffling and augmentation. */
export function createPipeline(
  dataset: ImageClassificationDataset,
  options: Pick<DataCommonOptions, 'augment' | 'normalize'>,
  seed: number,
  dropLast = false,
): DataPipeline {
  const normalize = options.normalize ?? 'per-image';
  const stats = normalize === 'dataset' ? channelStats(dataset.train, dataset.shape[2]) : undefined;
  return {
    dataset,
    stats,
    trainBatches: (epoch, batchSize) =>
      batches(dataset.train, dataset.shape, { batchSize, shuffle: true, seed, epoch, augment: options.augment, normalize, stats, dropLast }),
    testBatches: (batchSize) => batches(dataset.test, dataset.shape, { batchSize, normalize, stats }),
    stepsPerEpoch: (batchSize) => batchCount(dataset.train.count, batchSize, dropLast),
  };
}
