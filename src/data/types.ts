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

export interface DatasetOptions {
  type: string;
  [option: string]: unknown;
}

export interface DatasetBuildContext {
  /** Directory the config file sits in; relative `dir` options resolve against the working directory. */
  cwd: string;
  seed: number;
}
