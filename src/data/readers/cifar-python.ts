import { AcafError } from '../../errors';
import { checkLabels } from '../files';
import type { ImageSplit } from '../types';
import { CIFAR_IMAGE_BYTES, cifarChwToHwc } from './cifar-layout';
import { numpyUint8 } from './numpy';
import { pyArray, pyIntegers, pyText, readPickledDict, requireKey } from './pickle-values';

/**
 * Reads CIFAR "python version" batches: pickled dicts with 'data' (uint8 numpy [N, 3072], CHW rows) and the labels
 * under `labelKey` ('labels' for CIFAR-10, 'fine_labels' or 'coarse_labels' for CIFAR-100).
 */
export function readCifarPython(files: string[], labelKey: string, classCount: number): ImageSplit {
  const batches = files.map((file) => {
    const dict = readPickledDict(file);
    const data = pyArray(requireKey(dict, 'data', file), 'data', 2, file);
    if (data.shape[1] !== CIFAR_IMAGE_BYTES) throw new AcafError(`${file}: 'data' has shape [${data.shape}], expected [N, ${CIFAR_IMAGE_BYTES}]`);
    const labels = pyIntegers(requireKey(dict, labelKey, file), labelKey, file);
    if (labels.length !== data.shape[0]) throw new AcafError(`${file}: ${labels.length} labels for ${data.shape[0]} images`);
    checkLabels(labels, classCount, file);
    return { pixels: numpyUint8(data, file), labels };
  });
  const count = batches.reduce((sum, batch) => sum + batch.labels.length, 0);
  const images = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  const labels = new Int32Array(count);
  let item = 0;
  for (const batch of batches) {
    labels.set(batch.labels, item);
    for (let i = 0; i < batch.labels.length; i++, item++) cifarChwToHwc(batch.pixels, i * CIFAR_IMAGE_BYTES, images, item * CIFAR_IMAGE_BYTES);
  }
  return { images, labels, count };
}

/** Class names from a pickled meta file ('label_names', 'fine_label_names' or 'coarse_label_names'). */
export function readPickledNames(file: string, key: string): string[] {
  const names = requireKey(readPickledDict(file), key, file);
  if (!Array.isArray(names)) throw new AcafError(`${file}: '${key}' is not a list of names`);
  return names.map((name, i) => pyText(name, `${key}[${i}]`, file));
}
