/** One split of an image-classification dataset, kept as uint8 pixels until a batch is built. */
export interface ImageSplit {
  /** count * height * width * channels bytes, NHWC, row-major. */
  images: Uint8Array;
  /** count labels in [0, classes.length). */
  labels: Int32Array;
  count: number;
}

export interface ImageClassificationDataset {
  name: string;
  /** [height, width, channels] */
  shape: [number, number, number];
  classes: string[];
  train: ImageSplit;
  test: ImageSplit;
}

export type Normalization = 'per-image' | 'dataset' | 'scale' | 'none';

/** Random train-time augmentation; every field at its default is "off". */
export interface AugmentOptions {
  /** Zero-pad by this many pixels, then crop back to the original size at a random offset. */
  crop?: number;
  flip?: boolean;
  /** Add a random delta in [-brightness, brightness] (pixel units, 0..255; the CIFAR tutorial uses 63). */
  brightness?: number;
  /** Scale each channel's deviation from its mean by a random factor in [1-contrast, 1+contrast] (tutorial: 0.8). */
  contrast?: number;
}

/** Options every dataset accepts (the `dataCommon` block of the config schema), applied in one place: load.ts. */
export interface DataCommonOptions {
  subset?: { train?: number; test?: number };
  classes?: number[];
  /** [height, width]: resize both splits once, at load time (bilinear). */
  resize?: [number, number];
  augment?: AugmentOptions;
  normalize?: Normalization;
}

export interface DatasetOptions extends DataCommonOptions {
  type: string;
  [option: string]: unknown;
}

/** The image shape and class count of a dataset, as its options give them. */
export interface DatasetGeometry {
  /** [height, width, channels] */
  shape: [number, number, number];
  classes: number;
}

/** What a dataset plugin may declare beside building. */
export interface DatasetTraits {
  /**
   * The dataset's geometry from its options alone, as its genuine files have it (before `data.classes` and
   * `data.resize`), without reading them; for checks that must come before the data loads, such as the
   * training-memory estimate.
   */
  geometry?(options: DatasetOptions): DatasetGeometry;
}

export interface DatasetBuildContext {
  /** Directory relative `dir` options resolve against (the working directory of the command). */
  cwd: string;
  seed: number;
}
