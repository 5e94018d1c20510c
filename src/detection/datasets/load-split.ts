import { readRgbImage } from '../image-io';
import type { DetectionDataset } from '../types';
import type { LoadedSplit } from './types';

/** Decodes every image of a split read from disk (VOC, COCO). */
export async function loadSplit(dataset: DetectionDataset): Promise<LoadedSplit> {
  const samples = [];
  for (const image of dataset.images) samples.push({ image: await readRgbImage(image.file), annotations: image });
  return { dataset, samples };
}
