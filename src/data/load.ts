import { AcafError } from '../errors';
import { datasets } from '../registry';
import { resizeImages } from './resize';
import type { DataCommonOptions, DatasetBuildContext, DatasetGeometry, DatasetOptions, ImageClassificationDataset, ImageSplit } from './types';

/**
 * Builds the dataset a config's `data` block names, then applies the options every dataset shares, in this order:
 * `classes` (keep these, relabelled 0..k-1 in the order given), `subset` (first N of each split), `resize`.
 */
export async function loadDataset(options: DatasetOptions, context: DatasetBuildContext): Promise<ImageClassificationDataset> {
  const plugin = datasets.get(options.type, 'data.type');
  const dataset = await plugin.build(datasets.withDefaults(options.type, options), context);
  return applyCommonOptions(dataset, options);
}

export function applyCommonOptions(dataset: ImageClassificationDataset, options: DataCommonOptions): ImageClassificationDataset {
  let selected = dataset;
  if (options.classes) selected = keepClasses(selected, options.classes);
  if (options.subset) selected = takeSubset(selected, options.subset);
  if (options.resize) selected = resize(selected, options.resize);
  return selected;
}

function keepClasses(dataset: ImageClassificationDataset, classes: number[]): ImageClassificationDataset {
  const bad = classes.find((index) => index >= dataset.classes.length);
  if (bad !== undefined) {
    throw new AcafError(`data.classes: class ${bad} is out of range for ${dataset.name} (${dataset.classes.length} classes, 0..${dataset.classes.length - 1})`);
  }
  const newLabel = new Int32Array(dataset.classes.length).fill(-1);
  classes.forEach((original, index) => (newLabel[original] = index));
  const imageSize = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const filter = (split: ImageSplit): ImageSplit => {
    const kept: number[] = [];
    split.labels.forEach((label, index) => newLabel[label] >= 0 && kept.push(index));
    const images = new Uint8Array(kept.length * imageSize);
    kept.forEach((index, item) => images.set(split.images.subarray(index * imageSize, (index + 1) * imageSize), item * imageSize));
    return { images, labels: Int32Array.from(kept, (index) => newLabel[split.labels[index]]), count: kept.length };
  };
  return { ...dataset, classes: classes.map((index) => dataset.classes[index]), train: filter(dataset.train), test: filter(dataset.test) };
}

function takeSubset(dataset: ImageClassificationDataset, subset: NonNullable<DataCommonOptions['subset']>): ImageClassificationDataset {
  const imageSize = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const first = (split: ImageSplit, count: number | undefined, key: string): ImageSplit => {
    if (count === undefined) return split;
    if (count > split.count) throw new AcafError(`data.subset.${key}: ${count} is more than the ${split.count} ${key} images of ${dataset.name}`);
    return { images: split.images.subarray(0, count * imageSize), labels: split.labels.subarray(0, count), count };
  };
  return { ...dataset, train: first(dataset.train, subset.train, 'train'), test: first(dataset.test, subset.test, 'test') };
}

function resize(dataset: ImageClassificationDataset, [height, width]: [number, number]): ImageClassificationDataset {
  if (height === dataset.shape[0] && width === dataset.shape[1]) return dataset;
  const resizeSplit = (split: ImageSplit): ImageSplit => ({ ...split, images: resizeImages(split.images, split.count, dataset.shape, [height, width]) });
  return { ...dataset, shape: [height, width, dataset.shape[2]], train: resizeSplit(dataset.train), test: resizeSplit(dataset.test) };
}

/**
 * The image shape and class count of the config's dataset as the genuine files give them (`data.classes` and
 * `data.resize` applied), from its options alone; undefined where the plugin cannot tell without reading its
 * files (`idx`).
 */
export function datasetGeometry(options: DatasetOptions): DatasetGeometry | undefined {
  const plugin = datasets.get(options.type, 'data.type');
  const geometry = plugin.geometry?.(datasets.withDefaults(options.type, options));
  if (!geometry) return undefined;
  const [height, width] = options.resize ?? geometry.shape;
  return { shape: [height, width, geometry.shape[2]], classes: options.classes?.length ?? geometry.classes };
}
