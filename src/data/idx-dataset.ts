import * as path from 'path';
import { AcafError } from '../errors';
import { findFile, requireFile } from './files';
import { cacheDir, locateDataset } from './locate';
import { readIdxPair } from './readers/idx';
import type { DatasetBuildContext, ImageClassificationDataset } from './types';

/** The four MNIST-style files by their official stem; each may be gzipped, and some mirrors write `.idx3` with a dot. */
const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

function candidates(stem: string): string[] {
  const dotted = stem.replace(/-(idx\d)/, '.$1');
  return [`${stem}.gz`, stem, `${dotted}.gz`, dotted];
}

/** `dir` when it holds the training images file, else undefined. */
export function recogniseIdxDir(dir: string): string | undefined {
  return findFile(dir, candidates(IDX_FILES.trainImages)) ? dir : undefined;
}

/** The folder loadIdxDataset reads: the configured `dir`, else the acaf cache `<cache>/<name>`, else the first of `fallbacks`. */
export function locateIdxDataset(name: string, configured: string | undefined, context: DatasetBuildContext, fallbacks: string[] = []): string {
  return locateDataset(name, configured, context.cwd, [path.join(cacheDir(), name), ...fallbacks], recogniseIdxDir, 'IDX files (train-images-idx3-ubyte[.gz])');
}

/**
 * An MNIST-style dataset from the four IDX files in the configured `dir`, or else the first of `fallbacks`
 * (the acaf cache `<cache>/<name>` is always tried first) that holds them.
 */
export function loadIdxDataset(
  name: string,
  classes: string[],
  configured: string | undefined,
  context: DatasetBuildContext,
  fallbacks: string[] = [],
): ImageClassificationDataset {
  const dir = locateIdxDataset(name, configured, context, fallbacks);
  const what = `${name} (${dir})`;
  const file = (stem: string) => requireFile(dir, candidates(stem), what);
  const [trainImages, testImages] = [file(IDX_FILES.trainImages), file(IDX_FILES.testImages)];
  const train = readIdxPair(trainImages, file(IDX_FILES.trainLabels), classes.length);
  const test = readIdxPair(testImages, file(IDX_FILES.testLabels), classes.length);
  if (train.shape.join() !== test.shape.join()) {
    throw new AcafError(`${testImages}: test images are ${test.shape.join('x')} but the training images (${trainImages}) are ${train.shape.join('x')}`);
  }
  return { name, shape: train.shape, classes, train: train.split, test: test.split };
}
