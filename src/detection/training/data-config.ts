import * as path from 'path';
import { AcafError } from '../../errors';
import { readCocoDataset } from '../coco';
import type { DetectionDataset } from '../types';
import { readVocDataset } from '../voc';

/**
 * The `data` section of a detection config: a VOC-layout folder (VOC2007/2012, or `acaf detection shapes`
 * output) or COCO instances files, plus the network input size and train-time augmentation.
 */
export type DetectionDataConfig = (
  | { type: 'voc'; root: string; trainSplit: string; testSplit: string; classes?: string[] }
  | { type: 'coco'; trainAnnotations: string; trainImages: string; testAnnotations: string; testImages: string }
) & {
  inputSize: number;
  augment: { flip: boolean; minScale: number; maxScale: number; minBoxSize: number };
};

/** The train and test splits a detection config names, paths relative to `cwd`. */
export function readDetectionData(data: DetectionDataConfig, cwd: string): { train: DetectionDataset; test: DetectionDataset } {
  const at = (file: string) => path.resolve(cwd, file);
  if (data.type === 'voc') {
    const read = (split: string) => readVocDataset({ root: at(data.root), split, classes: data.classes });
    return { train: read(data.trainSplit), test: read(data.testSplit) };
  }
  if (data.type === 'coco') {
    return {
      train: readCocoDataset({ annotationFile: at(data.trainAnnotations), imageDir: at(data.trainImages) }),
      test: readCocoDataset({ annotationFile: at(data.testAnnotations), imageDir: at(data.testImages) }),
    };
  }
  throw new AcafError(`data.type: '${(data as { type: string }).type}' is not a detection dataset (use voc or coco)`);
}
