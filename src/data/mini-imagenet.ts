import * as path from 'path';
import { AcafError } from '../errors';
import { datasets } from '../registry';
import { cacheDir, locateDataset } from './locate';
import {
  detectMiniImageNetLayout,
  LabelledImages,
  MiniImageNetSplit,
  readMiniImageNetFolders,
  readMiniImageNetPickles,
} from './readers/mini-imagenet';
import type { ImageClassificationDataset, ImageSplit } from './types';

type MiniImageNetOptions = {
  type: string;
  dir?: string;
  layout: 'auto' | 'folders' | 'pickle';
  splits: MiniImageNetSplit[];
  size: number;
  split: { perClassTrain: number; perClassTest: number };
};

/** Classes of each original few-shot split (Ravi and Larochelle's CSVs). */
const SPLIT_CLASSES: Record<MiniImageNetSplit, number> = { train: 64, val: 16, test: 20 };

datasets.register<MiniImageNetOptions>({
  name: 'mini-imagenet',
  description: 'miniImageNet (100 classes, 600 images each): image folders + CSVs or the cache pickles, split per class',
  options: {
    dir: { type: 'string', description: 'folder with train/val/test.csv and images/, or mini-imagenet-cache-*.pkl' },
    layout: { enum: ['auto', 'folders', 'pickle'], default: 'auto', description: 'which layout; auto detects from the files' },
    splits: {
      type: 'array',
      items: { enum: ['train', 'val', 'test'] },
      minItems: 1,
      uniqueItems: true,
      default: ['train', 'val', 'test'],
      description: 'original few-shot splits whose classes are pooled (all three: 100-class classification)',
    },
    size: { type: 'integer', minimum: 8, default: 84, description: 'images are resized to size x size' },
    split: {
      type: 'object',
      additionalProperties: false,
      properties: {
        perClassTrain: { type: 'integer', minimum: 1, default: 500 },
        perClassTest: { type: 'integer', minimum: 1, default: 100 },
      },
      default: {},
      description: 'per class, the first perClassTrain images (file order) train and the next perClassTest test',
    },
  },
  geometry: (options) => ({
    shape: [options.size as number, options.size as number, 3],
    classes: (options.splits as MiniImageNetSplit[]).reduce((sum, split) => sum + SPLIT_CLASSES[split], 0),
  }),
  locate: (options, context) => locateMiniImageNet(options.dir, context.cwd),
  build: async (options, context) => {
    const dir = locateMiniImageNet(options.dir, context.cwd);
    const layout = options.layout === 'auto' || !options.layout ? detectMiniImageNetLayout(dir)! : options.layout;
    const splits = options.splits ?? ['train', 'val', 'test'];
    const size = options.size ?? 84;
    const images = layout === 'folders' ? await readMiniImageNetFolders(dir, splits, size) : readMiniImageNetPickles(dir, splits, size);
    return splitPerClass(images, size, options.split?.perClassTrain ?? 500, options.split?.perClassTest ?? 100, dir);
  },
});

function locateMiniImageNet(configured: string | undefined, cwd: string): string {
  const recognise = (dir: string) => (detectMiniImageNetLayout(dir) ? dir : undefined);
  return locateDataset('mini-imagenet', configured, cwd, [path.join(cacheDir(), 'mini-imagenet')], recognise, 'train.csv or mini-imagenet-cache-train.pkl');
}

/** Per class, in file order: the first `perClassTrain` images to train, the next `perClassTest` to test. */
function splitPerClass(images: LabelledImages, size: number, perClassTrain: number, perClassTest: number, dir: string): ImageClassificationDataset {
  const byClass: number[][] = images.classes.map(() => []);
  images.labels.forEach((label, index) => byClass[label].push(index));
  const short = byClass.findIndex((indexes) => indexes.length < perClassTrain + perClassTest);
  if (short >= 0) {
    throw new AcafError(`mini-imagenet (${dir}): class ${images.classes[short]} has ${byClass[short].length} images, fewer than split.perClassTrain + split.perClassTest = ${perClassTrain + perClassTest}`);
  }
  const imageSize = size * size * 3;
  const gather = (pick: (indexes: number[]) => number[]): ImageSplit => {
    const chosen = byClass.flatMap(pick);
    const pixels = new Uint8Array(chosen.length * imageSize);
    chosen.forEach((index, item) => pixels.set(images.pixels.subarray(index * imageSize, (index + 1) * imageSize), item * imageSize));
    return { images: pixels, labels: Int32Array.from(chosen, (index) => images.labels[index]), count: chosen.length };
  };
  return {
    name: 'mini-imagenet',
    shape: [size, size, 3],
    classes: images.classes,
    train: gather((indexes) => indexes.slice(0, perClassTrain)),
    test: gather((indexes) => indexes.slice(perClassTrain, perClassTrain + perClassTest)),
  };
}
