import * as path from 'path';
import { detectionDatasets } from '../../registry';
import { readVocDataset } from '../voc';
import { loadSplit } from './load-split';
import type { DetectionDatasetOptions } from './types';

type VocOptions = DetectionDatasetOptions & { root: string; trainSplit: string; testSplit: string; classes?: string[] };

detectionDatasets.register<VocOptions>({
  name: 'voc',
  description: 'PASCAL VOC layout (VOC2007/2012 or `acaf detection shapes` output): Annotations/, JPEGImages/, ImageSets/Main/',
  options: {
    root: { type: 'string', description: 'the year folder, e.g. data/VOCdevkit/VOC2007 (relative to the working directory)' },
    trainSplit: { type: 'string', default: 'trainval', description: 'image set in ImageSets/Main to train on' },
    testSplit: { type: 'string', default: 'test', description: 'image set in ImageSets/Main to evaluate on' },
    classes: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      uniqueItems: true,
      description: 'class names, index = label; default: the 20 VOC classes',
    },
  },
  required: ['root'],
  build: async (options, { cwd }) => {
    const read = (split: string) => readVocDataset({ root: path.resolve(cwd, options.root), split, classes: options.classes });
    return { train: await loadSplit(read(options.trainSplit)), test: await loadSplit(read(options.testSplit)) };
  },
});
