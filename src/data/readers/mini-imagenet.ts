import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../../errors';
import { fileInside, findFile, requireFile } from '../files';
import { resizeImages } from '../resize';
import { decodeImageFiles } from './image-file';
import { numpyUint8 } from './numpy';
import { pyArray, pyIntegers, pyText, readPickledDict, requireKey } from './pickle-values';

export type MiniImageNetSplit = 'train' | 'val' | 'test';

/** Every image of the chosen original splits, labelled by class index into `classes` (order of first appearance). */
export interface LabelledImages {
  classes: string[];
  pixels: Uint8Array;
  labels: Int32Array;
}

/** 'folders' when `dir` holds train.csv (or another split CSV), 'pickle' when it holds the cache pickles. */
export function detectMiniImageNetLayout(dir: string): 'folders' | 'pickle' | undefined {
  if (findFile(dir, ['train.csv', 'val.csv', 'test.csv'])) return 'folders';
  if (findFile(dir, ['mini-imagenet-cache-train.pkl', 'mini-imagenet-cache-val.pkl', 'mini-imagenet-cache-test.pkl'])) return 'pickle';
  return undefined;
}

/**
 * The Ravi & Larochelle layout: `<split>.csv` files of `filename,label` rows (with that header), the images in
 * `images/` (or beside the CSVs), decoded and resized to size x size RGB.
 */
export async function readMiniImageNetFolders(dir: string, splits: MiniImageNetSplit[], size: number): Promise<LabelledImages> {
  const imageDir = fs.existsSync(path.join(dir, 'images')) ? path.join(dir, 'images') : dir;
  const files: string[] = [];
  const classNames: string[] = [];
  const classIndex = new Map<string, number>();
  const labels: number[] = [];
  for (const split of splits) {
    const csv = requireFile(dir, [`${split}.csv`], 'mini-imagenet');
    const lines = fs.readFileSync(csv, 'utf8').split(/\r?\n/).filter((line) => line.trim());
    if (lines[0]?.trim() !== 'filename,label') throw new AcafError(`${csv}: expected the header 'filename,label', found '${lines[0] ?? ''}'`);
    for (const [number, line] of lines.slice(1).entries()) {
      const [filename, label] = line.split(',').map((field) => field.trim());
      if (!filename || !label) throw new AcafError(`${csv}:${number + 2}: expected 'filename,label', found '${line}'`);
      if (!classIndex.has(label)) classIndex.set(label, classNames.push(label) - 1);
      labels.push(classIndex.get(label)!);
      const file = fileInside(imageDir, filename, `${csv}:${number + 2}: image file name`);
      if (!fs.existsSync(file)) throw new AcafError(`${csv}:${number + 2}: missing image file ${file}`);
      files.push(file);
    }
  }
  const pixels = new Uint8Array(files.length * size * size * 3);
  await decodeImageFiles(files, [size, size], pixels);
  return { classes: classNames, pixels, labels: Int32Array.from(labels) };
}

/**
 * The `mini-imagenet-cache-<split>.pkl` layout: dicts with 'image_data' (uint8 [N, 84, 84, 3]) and 'class_dict'
 * (class name -> list of indexes into image_data).
 */
export function readMiniImageNetPickles(dir: string, splits: MiniImageNetSplit[], size: number): LabelledImages {
  const classes: string[] = [];
  const classIndex = new Map<string, number>();
  const parts: { pixels: Uint8Array; order: Int32Array; labels: Int32Array }[] = [];
  let imageSize = 0;
  for (const split of splits) {
    const file = requireFile(dir, [`mini-imagenet-cache-${split}.pkl`], 'mini-imagenet');
    const dict = readPickledDict(file);
    const data = pyArray(requireKey(dict, 'image_data', file), 'image_data', 4, file);
    const [count, height, width, channels] = data.shape;
    if (channels !== 3) throw new AcafError(`${file}: 'image_data' has shape [${data.shape}], expected [N, H, W, 3]`);
    const classDict = requireKey(dict, 'class_dict', file);
    if (!(classDict instanceof Map)) throw new AcafError(`${file}: 'class_dict' is not a dict`);
    let pixels = numpyUint8(data, file);
    if (height !== size || width !== size) pixels = resizeImages(pixels, count, [height, width, 3], [size, size]);
    imageSize = size * size * 3;
    const order: number[] = [];
    const labels: number[] = [];
    for (const [key, indexes] of classDict) {
      const name = pyText(key, 'a class_dict key', file);
      if (!classIndex.has(name)) classIndex.set(name, classes.push(name) - 1);
      const label = classIndex.get(name)!;
      for (const index of pyIntegers(indexes, `class_dict['${name}']`, file)) {
        if (index < 0 || index >= count) throw new AcafError(`${file}: class_dict['${name}'] refers to image ${index}, but image_data has ${count}`);
        order.push(index);
        labels.push(label);
      }
    }
    parts.push({ pixels, order: Int32Array.from(order), labels: Int32Array.from(labels) });
  }
  const total = parts.reduce((sum, part) => sum + part.order.length, 0);
  const pixels = new Uint8Array(total * imageSize);
  const labels = new Int32Array(total);
  let item = 0;
  for (const part of parts) {
    for (let i = 0; i < part.order.length; i++, item++) {
      pixels.set(part.pixels.subarray(part.order[i] * imageSize, (part.order[i] + 1) * imageSize), item * imageSize);
      labels[item] = part.labels[i];
    }
  }
  return { classes, pixels, labels };
}
