import type { DetectionSample } from '../types';
import type { DetectionDataset } from '../types';

/** `data` of a detection config: the plugin's `type` and options plus the network input size and augmentation. */
export interface DetectionDatasetOptions {
  type: string;
  /** Side of the square (letterboxed) network input. */
  inputSize: number;
  augment: { flip: boolean; minScale: number; maxScale: number; minBoxSize: number };
  [option: string]: unknown;
}

export interface DetectionDatasetBuildContext {
  /** Directory relative paths resolve against (the working directory of the command). */
  cwd: string;
  seed: number;
}

/** A split with its pixels decoded once (detection runs here use datasets that fit in memory); samples[i] is images[i]. */
export interface LoadedSplit {
  dataset: DetectionDataset;
  samples: DetectionSample[];
}

/** What a detection dataset plugin builds: both splits, with the same classes. */
export interface DetectionData {
  train: LoadedSplit;
  test: LoadedSplit;
}
