import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';
import { createRandom, STREAM } from '../data/random';
import type { CocoAnnotation, CocoImage, CocoInstances } from './coco-format';
import { writeRgbImage } from './image-io';
import { defaultShapesOptions, generateShapesScene, ShapesOptions, ShapesScene, SHAPE_CLASSES } from './shapes';
import { writeVocAnnotation } from './voc';

/**
 * Writes the synthetic shapes dataset in a real on-disk layout, so the VOC and COCO readers load it like the real
 * thing. Image i goes to the test split when i % 5 == 4, to val when i % 5 == 3, else to train.
 * - voc:  Annotations/shape_000001.xml, JPEGImages/shape_000001.jpg, ImageSets/Main/{train,val,trainval,test}.txt
 * - coco: annotations/instances_{train,val}.json with images in train/ and val/ (COCO's val = the test split here)
 */

export type ShapesFormat = 'voc' | 'coco';

export interface WriteShapesOptions extends Partial<ShapesOptions> {
  out: string;
  format: ShapesFormat;
  images: number;
  size: number;
  seed: number;
}

export interface WriteShapesSummary {
  images: number;
  objects: number;
  /** Image count per split. */
  splits: Record<string, number>;
}

export async function writeShapesDataset(options: WriteShapesOptions): Promise<WriteShapesSummary> {
  if (!Number.isInteger(options.images) || options.images < 1)
    throw new AcafError(`--images must be a positive integer, got ${options.images}`);
  if (!Number.isInteger(options.size) || options.size < 16)
    throw new AcafError(`--size must be an integer of at least 16 pixels, got ${options.size}`);
  prepareEmptyDir(options.out);
  const shapesOptions = { ...defaultShapesOptions(options.size), ...definedOnly(options) };
  const random = createRandom(options.seed, STREAM.synthetic);
  const scenes = Array.from({ length: options.images }, () => generateShapesScene(random, shapesOptions));
  const splitOf = (index: number) => (index % 5 === 4 ? 'test' : index % 5 === 3 ? 'val' : 'train');
  const splits = options.format === 'voc' ? await writeVoc(options.out, scenes, splitOf) : await writeCoco(options.out, scenes, splitOf);
  return { images: scenes.length, objects: scenes.reduce((sum, scene) => sum + scene.objects.length, 0), splits };
}

function definedOnly(options: Partial<ShapesOptions>): Partial<ShapesOptions> {
  const keys = ['maxShapes', 'minShapeSize', 'maxShapeSize', 'noise'] as const;
  return Object.fromEntries(keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]));
}

function prepareEmptyDir(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new AcafError(`output directory ${dir} is not empty; choose a new --out`);
  fs.mkdirSync(dir, { recursive: true });
}

const imageName = (index: number) => `shape_${String(index + 1).padStart(6, '0')}`;

async function writeVoc(out: string, scenes: ShapesScene[], splitOf: (index: number) => string): Promise<Record<string, number>> {
  for (const folder of ['Annotations', 'JPEGImages', path.join('ImageSets', 'Main')])
    fs.mkdirSync(path.join(out, folder), { recursive: true });
  const lists: Record<string, string[]> = { train: [], val: [], trainval: [], test: [] };
  for (const [index, scene] of scenes.entries()) {
    const name = imageName(index);
    await writeRgbImage(path.join(out, 'JPEGImages', `${name}.jpg`), scene.image);
    writeVocAnnotation(path.join(out, 'Annotations', `${name}.xml`), {
      filename: `${name}.jpg`,
      width: scene.image.width,
      height: scene.image.height,
      objects: scene.objects.map(({ label, box }) => ({ name: SHAPE_CLASSES[label], box, difficult: false, truncated: false })),
    });
    const split = splitOf(index);
    lists[split].push(name);
    if (split !== 'test') lists.trainval.push(name);
  }
  for (const [split, names] of Object.entries(lists)) {
    fs.writeFileSync(path.join(out, 'ImageSets', 'Main', `${split}.txt`), names.map((name) => `${name}\n`).join(''));
  }
  return Object.fromEntries(Object.entries(lists).map(([split, names]) => [split, names.length]));
}

async function writeCoco(out: string, scenes: ShapesScene[], splitOf: (index: number) => string): Promise<Record<string, number>> {
  fs.mkdirSync(path.join(out, 'annotations'), { recursive: true });
  const categories = SHAPE_CLASSES.map((name, label) => ({ id: label + 1, name, supercategory: 'shape' }));
  const sets: Record<string, CocoInstances> = {
    train: { images: [], annotations: [], categories },
    val: { images: [], annotations: [], categories },
  };
  let annotationId = 0;
  for (const [index, scene] of scenes.entries()) {
    const folder = splitOf(index) === 'test' ? 'val' : 'train';
    fs.mkdirSync(path.join(out, folder), { recursive: true });
    const image: CocoImage = { id: index + 1, file_name: `${imageName(index)}.jpg`, width: scene.image.width, height: scene.image.height };
    await writeRgbImage(path.join(out, folder, image.file_name), scene.image);
    sets[folder].images.push(image);
    for (const {
      label,
      box: [x1, y1, x2, y2],
      area,
    } of scene.objects) {
      const annotation: CocoAnnotation = {
        id: ++annotationId,
        image_id: image.id,
        category_id: label + 1,
        bbox: [x1, y1, x2 - x1, y2 - y1],
        area,
        iscrowd: 0,
      };
      sets[folder].annotations.push(annotation);
    }
  }
  for (const [split, instances] of Object.entries(sets)) {
    fs.writeFileSync(path.join(out, 'annotations', `instances_${split}.json`), JSON.stringify(instances));
  }
  return { train: sets.train.images.length, val: sets.val.images.length };
}
