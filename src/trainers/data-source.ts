import { batches, createPipeline } from '../data/pipeline';
import type { ExperimentConfig } from '../config';
import type { ImageClassificationDataset, ImageSplit } from '../data/types';
import type { DataSource } from './session';

/** The `index`-th window of `size` test images, in split order, wrapping around (the authors' evaluation). */
function testWindow(split: ImageSplit, imageSize: number, size: number, index: number): ImageSplit {
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
export function dataSource(dataset: ImageClassificationDataset, config: ExperimentConfig): DataSource {
  const normalize = config.data.normalize ?? 'per-image';
  const pipeline = createPipeline(dataset, { augment: config.data.augment, normalize }, config.seed);
  const { batchSize } = config.train;
  const window = config.eval.window;
  const imageSize = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  return {
    classes: dataset.classes,
    stepsPerEpoch: pipeline.stepsPerEpoch(batchSize),
    trainBatches: (epoch) => pipeline.trainBatches(epoch, batchSize),
    testBatches: (index) =>
      window
        ? batches(testWindow(dataset.test, imageSize, window, index), dataset.shape, { batchSize: config.eval.batchSize, normalize, stats: pipeline.stats })
        : pipeline.testBatches(config.eval.batchSize),
  };
}
