import { AcafError } from '../../errors';
import { readDataFile } from '../decompress';
import { checkLabels } from '../files';
import type { ImageSplit } from '../types';
import { CIFAR_IMAGE_BYTES, cifarChwToHwc } from './cifar-layout';

const MAX_CIFAR_IMAGES = 60000;

/**
 * Reads CIFAR binary batch files: records of label byte(s) then 3072 pixel bytes. CIFAR-10 has one label byte;
 * CIFAR-100 has two (coarse, then fine), and `labelByte` picks which one to keep.
 */
export function readCifarBinary(files: string[], labelBytes: 1 | 2, labelByte: 0 | 1, classCount: number): ImageSplit {
  const recordSize = labelBytes + CIFAR_IMAGE_BYTES;
  // A gzipped batch declares no size: bound it by the largest official file (CIFAR-100's train.bin, 50,000 images).
  const bound = { bytes: MAX_CIFAR_IMAGES * recordSize, reason: `${MAX_CIFAR_IMAGES} CIFAR images, more than any CIFAR batch holds` };
  const contents = files.map((file) => {
    const bytes = readDataFile(file, { bound });
    if (bytes.length === 0 || bytes.length % recordSize !== 0) {
      throw new AcafError(`${file}: truncated or not a CIFAR batch: ${bytes.length} bytes is not a whole number of ${recordSize}-byte records`);
    }
    return { file, bytes };
  });
  const count = contents.reduce((sum, { bytes }) => sum + bytes.length / recordSize, 0);
  const images = new Uint8Array(count * CIFAR_IMAGE_BYTES);
  const labels = new Int32Array(count);
  let item = 0;
  for (const { file, bytes } of contents) {
    const first = item;
    for (let at = 0; at < bytes.length; at += recordSize, item++) {
      labels[item] = bytes[at + labelByte];
      cifarChwToHwc(bytes, at + labelBytes, images, item * CIFAR_IMAGE_BYTES);
    }
    checkLabels(labels.subarray(first, item), classCount, file);
  }
  return { images, labels, count };
}
