import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';
import { readLines, requireFile } from './files';
import { cacheDir, locateDataset } from './locate';
import { readCifarBinary } from './readers/cifar-binary';
import { CIFAR_SHAPE } from './readers/cifar-layout';
import { readCifarPython, readPickledNames } from './readers/cifar-python';
import type { DatasetBuildContext, ImageClassificationDataset } from './types';

export type CifarFormat = 'auto' | 'binary' | 'python';

/** The JSON schema of the options both CIFAR plugins share. */
export const cifarOptions = {
  dir: { type: 'string', description: 'folder holding the batches (or their parent); default: the acaf cache' },
  format: { enum: ['auto', 'binary', 'python'], default: 'auto', description: 'binary (.bin) or Python pickles; auto detects' },
};

/** The files of one CIFAR variant in each official distribution. */
interface CifarLayout {
  name: 'cifar10' | 'cifar100';
  folders: Record<'binary' | 'python', string>;
  /** A file only that format's folder has, to detect the format. */
  marker: Record<'binary' | 'python', string>;
}

export const CIFAR10: CifarLayout = {
  name: 'cifar10',
  folders: { binary: 'cifar-10-batches-bin', python: 'cifar-10-batches-py' },
  marker: { binary: 'data_batch_1.bin', python: 'data_batch_1' },
};

export const CIFAR100: CifarLayout = {
  name: 'cifar100',
  folders: { binary: 'cifar-100-binary', python: 'cifar-100-python' },
  marker: { binary: 'train.bin', python: 'train' },
};

/** The batches folder and its format: `dir` itself or its official sub-folder, in the requested format. */
export function findCifar(layout: CifarLayout, format: CifarFormat, configured: string | undefined, context: DatasetBuildContext) {
  const formats = format === 'auto' ? (['binary', 'python'] as const) : ([format] as const);
  const recognise = (dir: string) => {
    for (const candidate of [dir, ...formats.map((f) => path.join(dir, layout.folders[f]))]) {
      if (formats.some((f) => fs.existsSync(path.join(candidate, layout.marker[f])))) return candidate;
    }
    return undefined;
  };
  const expected = `${formats.map((f) => layout.folders[f]).join(' or ')} files (${formats.map((f) => layout.marker[f]).join(' or ')})`;
  const dir = locateDataset(layout.name, configured, context.cwd, [cacheDir()], recognise, expected);
  const found = formats.find((f) => fs.existsSync(path.join(dir, layout.marker[f])))!;
  return { dir, format: found };
}

/** CIFAR-10 from either distribution; class names from batches.meta(.txt). */
export function loadCifar10(dir: string | undefined, format: CifarFormat, context: DatasetBuildContext): ImageClassificationDataset {
  const found = findCifar(CIFAR10, format, dir, context);
  const what = `cifar10 (${found.dir})`;
  const trainNames = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`);
  let split;
  let classes: string[];
  if (found.format === 'binary') {
    const namesFile = requireFile(found.dir, ['batches.meta.txt'], what);
    classes = checkClassCount(readLines(namesFile), 10, namesFile);
    const read = (names: string[]) => readCifarBinary(names.map((name) => requireFile(found.dir, [`${name}.bin`], what)), 1, 0, classes.length);
    split = { train: read(trainNames), test: read(['test_batch']) };
  } else {
    const namesFile = requireFile(found.dir, ['batches.meta'], what);
    classes = checkClassCount(readPickledNames(namesFile, 'label_names'), 10, namesFile);
    const read = (names: string[]) => readCifarPython(names.map((name) => requireFile(found.dir, [name], what)), 'labels', classes.length);
    split = { train: read(trainNames), test: read(['test_batch']) };
  }
  return { name: 'cifar10', shape: [...CIFAR_SHAPE], classes, ...split };
}

/** CIFAR-100 from either distribution, with its 100 fine or 20 coarse labels. */
export function loadCifar100(
  dir: string | undefined,
  format: CifarFormat,
  labels: 'fine' | 'coarse',
  context: DatasetBuildContext,
): ImageClassificationDataset {
  const found = findCifar(CIFAR100, format, dir, context);
  const what = `cifar100 (${found.dir})`;
  const classCount = labels === 'fine' ? 100 : 20;
  let split;
  let classes: string[];
  if (found.format === 'binary') {
    const namesFile = requireFile(found.dir, [`${labels}_label_names.txt`], what);
    classes = checkClassCount(readLines(namesFile), classCount, namesFile);
    const labelByte = labels === 'coarse' ? 0 : 1;
    const read = (name: string) => readCifarBinary([requireFile(found.dir, [name], what)], 2, labelByte, classes.length);
    split = { train: read('train.bin'), test: read('test.bin') };
  } else {
    const namesFile = requireFile(found.dir, ['meta'], what);
    classes = checkClassCount(readPickledNames(namesFile, `${labels}_label_names`), classCount, namesFile);
    const read = (name: string) => readCifarPython([requireFile(found.dir, [name], what)], `${labels}_labels`, classes.length);
    split = { train: read('train'), test: read('test') };
  }
  return { name: 'cifar100', shape: [...CIFAR_SHAPE], classes, ...split };
}

function checkClassCount(classes: string[], expected: number, file: string): string[] {
  if (classes.length !== expected) throw new AcafError(`${file}: lists ${classes.length} class names, expected ${expected}`);
  return classes;
}
