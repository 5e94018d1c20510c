import * as fs from 'fs';
import * as path from 'path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AcafError } from '../errors';
import { fileInside, requireDir, requireFile } from '../data/files';
import type { DetectionDataset, DetectionImage } from './types';

/**
 * PASCAL VOC 2007/2012 layout: `<root>/Annotations/<id>.xml`, `<root>/JPEGImages/<id>.jpg`,
 * `<root>/ImageSets/Main/<split>.txt` (one image id per line), where root is e.g. `VOCdevkit/VOC2007`.
 * VOC boxes are 1-based inclusive pixel indices; in memory x1 = xmin - 1, y1 = ymin - 1, x2 = xmax, y2 = ymax
 * (continuous coordinates, types.ts), and writing inverts that.
 */

/** The 20 VOC classes in the devkit's order (class index = position). */
export const VOC_CLASSES = [
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tvmonitor',
];

export interface VocReadOptions {
  /** The year folder, e.g. `VOCdevkit/VOC2007`. */
  root: string;
  /** An image set in ImageSets/Main: train, val, trainval or test. */
  split: string;
  /** Class names, index = label; default the 20 VOC classes. */
  classes?: string[];
}

/** One object as the XML gives it, in continuous coordinates. */
export interface VocObject {
  name: string;
  box: [number, number, number, number];
  difficult: boolean;
  truncated: boolean;
}

export interface VocAnnotation {
  filename: string;
  width: number;
  height: number;
  objects: VocObject[];
}

const parser = new XMLParser({ parseTagValue: false, isArray: (_name, jpath) => jpath === 'annotation.object' });

/** Reads every image of `split`; a missing or malformed file is a one-line error naming it. */
export function readVocDataset({ root, split, classes = VOC_CLASSES }: VocReadOptions): DetectionDataset {
  requireDir(root, 'VOC dataset');
  const listFile = requireFile(path.join(root, 'ImageSets', 'Main'), [`${split}.txt`], 'VOC dataset');
  const entries = fs
    .readFileSync(listFile, 'utf8')
    .split(/\r?\n/)
    .map((line, number) => ({ id: line.trim().split(/\s+/)[0], where: `${listFile}:${number + 1}: image id` }))
    .filter(({ id }) => id);
  const classIndex = new Map(classes.map((name, index) => [name, index]));
  const images = entries.map(({ id, where }, index): DetectionImage => {
    const xmlFile = fileInside(path.join(root, 'Annotations'), `${id}.xml`, where);
    if (!fs.existsSync(xmlFile)) throw new AcafError(`${where} ${JSON.stringify(id)} has no annotation file ${xmlFile}`);
    const annotation = readVocAnnotation(xmlFile);
    const file = fileInside(path.join(root, 'JPEGImages'), annotation.filename || `${id}.jpg`, `${xmlFile}: <filename>`);
    if (!fs.existsSync(file)) throw new AcafError(`${xmlFile}: image file ${file} does not exist`);
    const labels = annotation.objects.map(({ name }) => {
      const label = classIndex.get(name);
      if (label === undefined) throw new AcafError(`${xmlFile}: unknown class '${name}' (classes: ${classes.join(', ')})`);
      return label;
    });
    return {
      id: index,
      file,
      width: annotation.width,
      height: annotation.height,
      boxes: Float32Array.from(annotation.objects.flatMap((object) => object.box)),
      labels: Int32Array.from(labels),
      difficult: Uint8Array.from(annotation.objects.map((object) => Number(object.difficult))),
      truncated: Uint8Array.from(annotation.objects.map((object) => Number(object.truncated))),
      crowd: new Uint8Array(labels.length),
    };
  });
  return { name: `voc-${path.basename(path.resolve(root))}-${split}`, classes, categoryIds: classes.map((_, i) => i + 1), images };
}

/** Parses one VOC annotation XML file. */
export function readVocAnnotation(xmlFile: string): VocAnnotation {
  let xml: string;
  try {
    xml = fs.readFileSync(xmlFile, 'utf8');
  } catch (error) {
    throw new AcafError(`cannot read VOC annotation ${xmlFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML has no schema; every field is checked below
  let annotation: any;
  try {
    annotation = parser.parse(xml, true).annotation;
  } catch (error) {
    throw new AcafError(`${xmlFile}: malformed XML (${(error as { message: string }).message.split('\n')[0]})`);
  }
  if (!annotation) throw new AcafError(`${xmlFile}: no <annotation> element`);
  const number = (value: unknown, what: string): number => {
    const parsed = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(parsed))
      throw new AcafError(`${xmlFile}: ${what} is missing or not a number (${JSON.stringify(value)})`);
    return parsed;
  };
  const width = number(annotation.size?.width, '<size><width>');
  const height = number(annotation.size?.height, '<size><height>');
  const objects = (annotation.object ?? []).map(
    (
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
      object: any,
      index: number,
    ): VocObject => {
      const where = `object ${index + 1} <bndbox>`;
      const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((key) => number(object.bndbox?.[key], `${where} <${key}>`));
      if (xmax < xmin || ymax < ymin) throw new AcafError(`${xmlFile}: ${where} has xmax < xmin or ymax < ymin`);
      return {
        name: String(object.name ?? '').trim(),
        box: [xmin - 1, ymin - 1, xmax, ymax],
        difficult: Number(object.difficult ?? 0) === 1,
        truncated: Number(object.truncated ?? 0) === 1,
      };
    },
  );
  return { filename: String(annotation.filename ?? '').trim(), width, height, objects };
}

const builder = new XMLBuilder({ format: true, indentBy: '\t' });

/** Writes one annotation as VOC XML; boxes are rounded to whole pixels (xmin = x1 + 1, xmax = x2). */
export function writeVocAnnotation(xmlFile: string, annotation: VocAnnotation): void {
  const xml = builder.build({
    annotation: {
      folder: 'JPEGImages',
      filename: annotation.filename,
      size: { width: annotation.width, height: annotation.height, depth: 3 },
      segmented: 0,
      object: annotation.objects.map(({ name, box: [x1, y1, x2, y2], difficult, truncated }) => ({
        name,
        pose: 'Unspecified',
        truncated: Number(truncated),
        difficult: Number(difficult),
        bndbox: { xmin: Math.round(x1) + 1, ymin: Math.round(y1) + 1, xmax: Math.round(x2), ymax: Math.round(y2) },
      })),
    },
  });
  fs.writeFileSync(xmlFile, xml);
}
