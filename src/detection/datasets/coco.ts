import * as path from 'path';
import { detectionDatasets } from '../../registry';
import { readCocoDataset } from '../coco';
import { loadSplit } from './load-split';
import type { DetectionDatasetOptions } from './types';

type CocoOptions = DetectionDatasetOptions & { trainAnnotations: string; trainImages: string; testAnnotations: string; testImages: string };

detectionDatasets.register<CocoOptions>({
  name: 'coco',
  description: 'COCO layout: instances_*.json annotation files and their image folders (crowd regions ignored in evaluation)',
  options: {
    trainAnnotations: {
      type: 'string',
      description: 'instances file of the training split, e.g. data/coco/annotations/instances_train2017.json',
    },
    trainImages: { type: 'string', description: 'image folder of the training split' },
    testAnnotations: { type: 'string', description: 'instances file of the evaluated split' },
    testImages: { type: 'string', description: 'image folder of the evaluated split' },
  },
  required: ['trainAnnotations', 'trainImages', 'testAnnotations', 'testImages'],
  build: async (options, { cwd }) => {
    const read = (annotations: string, images: string) =>
      readCocoDataset({ annotationFile: path.resolve(cwd, annotations), imageDir: path.resolve(cwd, images) });
    return {
      train: await loadSplit(read(options.trainAnnotations, options.trainImages)),
      test: await loadSplit(read(options.testAnnotations, options.testImages)),
    };
  },
});
