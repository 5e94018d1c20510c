import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';
import { fileInside, requireDir } from '../data/files';
import { readCocoInstances, CocoAnnotation } from './coco-format';
import type { DetectionDataset, DetectionImage } from './types';

/**
 * COCO layout: `instances_<split>.json` and a folder of images named by `file_name`. Categories are sorted by id
 * and numbered 0..K-1 (COCO's 80 ids run 1..90 with gaps); `categoryIds[label]` maps back for results files.
 * Boxes `[x, y, w, h]` become `[x, y, x + w, y + h]`; images without annotations are kept (evaluation counts them).
 */
export interface CocoReadOptions {
  annotationFile: string;
  imageDir: string;
}

export function readCocoDataset({ annotationFile, imageDir }: CocoReadOptions): DetectionDataset {
  const instances = readCocoInstances(annotationFile);
  requireDir(imageDir, 'COCO dataset');
  const categories = [...instances.categories].sort((a, b) => a.id - b.id);
  const labelOf = new Map(categories.map((category, label) => [category.id, label]));
  const annotationsByImage = new Map<number, CocoAnnotation[]>(instances.images.map((image) => [image.id, []]));
  for (const annotation of instances.annotations) {
    const list = annotationsByImage.get(annotation.image_id);
    if (!list) throw new AcafError(`${annotationFile}: annotation ${annotation.id} refers to unknown image_id ${annotation.image_id}`);
    if (!labelOf.has(annotation.category_id)) {
      throw new AcafError(`${annotationFile}: annotation ${annotation.id} refers to unknown category_id ${annotation.category_id}`);
    }
    list.push(annotation);
  }
  const images = instances.images.map((image): DetectionImage => {
    const file = fileInside(imageDir, image.file_name, `${annotationFile}: image ${image.id} file_name`);
    if (!fs.existsSync(file)) throw new AcafError(`${annotationFile}: image ${image.id} file ${file} does not exist`);
    const annotations = annotationsByImage.get(image.id)!;
    return {
      id: image.id,
      file,
      width: image.width,
      height: image.height,
      boxes: Float32Array.from(annotations.flatMap(({ bbox: [x, y, w, h] }) => [x, y, x + w, y + h])),
      labels: Int32Array.from(annotations.map((annotation) => labelOf.get(annotation.category_id)!)),
      difficult: new Uint8Array(annotations.length),
      truncated: new Uint8Array(annotations.length),
      crowd: Uint8Array.from(annotations.map((annotation) => Number(Boolean(annotation.iscrowd)))),
    };
  });
  return {
    name: `coco-${path.basename(annotationFile, '.json')}`,
    classes: categories.map((category) => category.name),
    categoryIds: categories.map((category) => category.id),
    images,
  };
}
