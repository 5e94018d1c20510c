import * as fs from 'fs';
import { AcafError } from '../errors';

/** The parts of a COCO `instances_*.json` that detection uses (https://cocodataset.org/#format-data). */
export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  /** [x, y, width, height] in continuous pixel coordinates. */
  bbox: [number, number, number, number];
  /** Object area (of the segmentation mask in real COCO); COCO evaluation sorts boxes into small/medium/large by it. */
  area?: number;
  iscrowd?: number;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory?: string;
}

export interface CocoInstances {
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

/** One detection in COCO results format (the `detections.json` of a run). */
export interface CocoResult {
  image_id: number;
  category_id: number;
  bbox: [number, number, number, number];
  score: number;
}

/** Parses a JSON file; a missing or malformed file is a one-line error naming it. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AcafError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** Reads and checks a COCO instances file: the three arrays present, every box four finite numbers. */
export function readCocoInstances(file: string): CocoInstances {
  const data = readJsonFile(file) as Partial<CocoInstances>;
  for (const key of ['images', 'annotations', 'categories'] as const) {
    if (!Array.isArray(data?.[key])) throw new AcafError(`${file}: not a COCO instances file (no '${key}' array)`);
  }
  data.images!.forEach((image, index) => {
    const where = `${file}: image ${index}`;
    checkFields(image, where, { id: 'number', file_name: 'string', width: 'number', height: 'number' });
    if (!(image.width > 0 && image.height > 0)) throw new AcafError(`${where} has a width or height that is not positive`);
  });
  data.annotations!.forEach((annotation, index) => {
    const where = `${file}: annotation ${index}`;
    checkFields(annotation, where, { id: 'number', image_id: 'number', category_id: 'number' });
    checkBox(annotation.bbox, `${file}: annotation ${annotation.id}`);
  });
  data.categories!.forEach((category, index) => checkFields(category, `${file}: category ${index}`, { id: 'number', name: 'string' }));
  return data as CocoInstances;
}

/** An object with each of `fields` of the given type (numbers finite): a one-line error naming the first that is not. */
function checkFields(value: unknown, where: string, fields: Record<string, 'number' | 'string'>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AcafError(`${where} is not an object`);
  for (const [key, type] of Object.entries(fields)) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field !== type || (type === 'number' && !Number.isFinite(field))) {
      throw new AcafError(
        `${where}: '${key}' must be a ${type === 'number' ? 'finite number' : 'string'}, got ${JSON.stringify(field) ?? 'nothing'}`,
      );
    }
  }
}

/** Reads and checks a COCO results file: an array of { image_id, category_id, bbox, score }. */
export function readCocoResults(file: string): CocoResult[] {
  const data = readJsonFile(file);
  if (!Array.isArray(data)) throw new AcafError(`${file}: COCO results must be a JSON array of detections`);
  data.forEach((result: Partial<CocoResult>, index) => {
    const where = `${file}: detection ${index}`;
    if (typeof result?.image_id !== 'number') throw new AcafError(`${where} has no numeric image_id`);
    if (typeof result.category_id !== 'number') throw new AcafError(`${where} has no numeric category_id`);
    if (typeof result.score !== 'number' || !Number.isFinite(result.score)) throw new AcafError(`${where} has no finite score`);
    checkBox(result.bbox, where);
  });
  return data as CocoResult[];
}

function checkBox(bbox: unknown, where: string): void {
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    throw new AcafError(`${where}: bbox must be [x, y, width, height] (four finite numbers), got ${JSON.stringify(bbox)}`);
  }
}
