import { batches, createPipeline, type ImageBatch } from '../../data/pipeline';
import type { ClassificationExperimentConfig } from '../../config/types';
import type { ImageClassificationDataset, ImageSplit } from '../../data/types';

/** Batches for the trainer; each epoch's train batches depend only on (seed, epoch), so epochs can be replayed. */
export interface DataSource {
  classes: string[];
  stepsPerEpoch: number;
  /** Shuffled, augmented batches of epoch `epoch` (1-based). */
  trainBatches(epoch: number): Iterable<ImageBatch>;
  /** Test batches for the `index`-th evaluation (0-based): the whole split, or the protocol's window of it. */
  testBatches(index: number): Iterable<ImageBatch>;
  /** The whole test split, whatever the window. */
  fullTestBatches(): Iterable<ImageBatch>;
}

/** The `index`-th window of `size` test images, in split order, wrapping around (the authors' evaluation). */
function testWindow(split: ImageSplit, imageSize: number, size: number, index: number): ImageSplit {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`evaluation index ${index}: expected a whole number >= 0`);
  const images = new Uint8Array(size * imageSize);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const source = (index * size + i) % split.count;
    images.set(split.images.subarray(source * imageSize, (source + 1) * imageSize), i * imageSize);
    labels[i] = split.labels[source];
  }
  return { images, labels, count: size };
}

/** The trainer's batches from the data pipeline: train batches by (seed, epoch), test batches whole or windowed. */
export function dataSource(dataset: ImageClassificationDataset, config: ClassificationExperimentConfig): DataSource {
  const normalize = config.data.normalize ?? 'per-image';
  const pipeline = createPipeline(dataset, { augment: config.data.augment, normalize }, config.seed, config.train.dropLastBatch);
  const { batchSize } = config.train;
  const window = config.eval.window;
  const imageSize = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  return {
    classes: dataset.classes,
    stepsPerEpoch: pipeline.stepsPerEpoch(batchSize),
    trainBatches: (epoch) => pipeline.trainBatches(epoch, batchSize),
    testBatches: (index) =>
      window
        ? batches(testWindow(dataset.test, imageSize, window, index), dataset.shape, {
            batchSize: config.eval.batchSize,
            normalize,
            stats: pipeline.stats,
          })
        : pipeline.testBatches(config.eval.batchSize),
    fullTestBatches: () => pipeline.testBatches(config.eval.batchSize),
  };
}
