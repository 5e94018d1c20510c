import { AcafError } from '../../errors';
import { readDataFile } from '../decompress';
import { checkLabels } from '../files';
import type { ImageSplit } from '../types';

/** An IDX array of unsigned bytes (the only element type MNIST-style datasets use). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
const idxMagic = (rank: number) => (UNSIGNED_BYTE << 8) | rank;

/** The dimensions in an IDX header of `rank` dimensions; undefined when its magic number is not that of uint8 data. */
function idxDims(header: Buffer, rank: number): number[] | undefined {
  if (header.readUInt32BE(0) !== idxMagic(rank)) return undefined;
  return Array.from({ length: rank }, (_, i) => header.readUInt32BE(4 + 4 * i));
}

/**
 * Reads an IDX file (gzipped or raw): magic 0x0000 0x08 <rank>, then rank big-endian uint32 dimensions, then the
 * data. `rank` is the rank the caller expects (3 for images, 1 for labels). The header declares the file's size,
 * so a gzipped file is never inflated beyond it.
 */
export function readIdx(file: string, rank: number): IdxArray {
  const headerSize = 4 + 4 * rank;
  const declaredSize = (dims: number[]) => headerSize + dims.reduce((a, b) => a * b, 1);
  const bytes = readDataFile(file, {
    headBytes: headerSize,
    limitFromHead: (header) => {
      const dims = idxDims(header, rank);
      return dims && { bytes: declaredSize(dims), reason: `the size its IDX header declares (dimensions ${dims.join('x')})` };
    },
  });
  if (bytes.length < 4) throw new AcafError(`${file}: truncated IDX file (${bytes.length} bytes, no header)`);
  const magic = bytes.readUInt32BE(0);
  const expected = idxMagic(rank);
  if (magic !== expected) {
    throw new AcafError(`${file}: wrong IDX magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x${expected.toString(16).padStart(8, '0')} (uint8, rank ${rank})`);
  }
  if (bytes.length < headerSize) throw new AcafError(`${file}: truncated IDX header`);
  const dims = idxDims(bytes, rank)!;
  const size = declaredSize(dims) - headerSize;
  if (bytes.length < headerSize + size) {
    throw new AcafError(`${file}: truncated IDX data: ${bytes.length - headerSize} of ${size} bytes for dimensions ${dims.join('x')}`);
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, size) };
}
/** Images [N, H, W] as uint8 NHWC with one channel, and their int32 labels, checked to match and lie in range. */
export function readIdxPair(
  imagesFile: string,
  labelsFile: string,
  classCount: number,
): { split: ImageSplit; shape: [number, number, number] } {
  const images = readIdx(imagesFile, 3);
  const labels = readIdx(labelsFile, 1);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new AcafError(`${labelsFile}: ${labels.dims[0]} labels for ${count} images in ${imagesFile}`);
  }
  const int32Labels = Int32Array.from(labels.data);
  checkLabels(int32Labels, classCount, labelsFile);
  return { split: { images: images.data, labels: int32Labels, count }, shape: [height, width, 1] };
}
