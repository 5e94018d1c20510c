import type { ImageClassificationDataset, ImageSplit } from './types';

export interface SplitSummary {
  size: number;
  shape: [number, number, number];
  labelCounts: number[];
}

/** What `acaf data info` prints: each split's size, image shape and label counts, and the class names. */
export interface DatasetSummary {
  splits: Record<'train' | 'test', SplitSummary>;
  classes: string[];
}

export function summarizeDataset(dataset: ImageClassificationDataset): DatasetSummary {
  const summarize = (split: ImageSplit): SplitSummary => {
    const labelCounts = new Array<number>(dataset.classes.length).fill(0);
    split.labels.forEach((label) => labelCounts[label]++);
    return { size: split.count, shape: [...dataset.shape], labelCounts };
  };
  return { splits: { train: summarize(dataset.train), test: summarize(dataset.test) }, classes: dataset.classes };
}
