/**
 * Writers of small dataset files in their genuine formats, and the pixel formula the golden fixtures use
 * (test/fixtures/data/make-pickles.py): byte k of image i is (i * 31 + k * 7 + salt) % 256 in the file's layout.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import sharp from 'sharp';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'data');

export function fixturePixel(item: number, k: number, salt: number): number {
  return (item * 31 + k * 7 + salt) % 256;
}

/** A fresh temporary directory, removed by `removeTempDirs()`. */
const tempDirs: string[] = [];
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-data-'));
  tempDirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** An IDX file of unsigned bytes: magic 0x0000 08 <rank>, big-endian dimensions, data. */
export function idxBytes(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE((0x08 << 8) | dims.length, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** Writes the four MNIST-style files (gzipped or raw) for images [count, h, w] with labels; returns the dir. */
export function writeIdxDataset(
  dir: string,
  splits: Record<'train' | 't10k', { images: Uint8Array; labels: Uint8Array; height: number; width: number }>,
  gzip: boolean,
): string {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, bytes: Buffer) =>
    fs.writeFileSync(path.join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  for (const [prefix, split] of Object.entries(splits)) {
    write(`${prefix}-images-idx3-ubyte`, idxBytes([split.labels.length, split.height, split.width], split.images));
    write(`${prefix}-labels-idx1-ubyte`, idxBytes([split.labels.length], split.labels));
  }
  return dir;
}

/** One CIFAR binary record set: per image the label byte(s), then 3072 CHW pixel bytes by `fixturePixel`. */
export function cifarBinaryBytes(labels: number[][], salt: number): Buffer {
  const records = labels.map((labelBytes, item) => {
    const pixels = Array.from({ length: 3072 }, (_, k) => fixturePixel(item, k, salt));
    return Buffer.from([...labelBytes, ...pixels]);
  });
  return Buffer.concat(records);
}

/** cifar-10-batches-bin with 2 images per training batch and 3 test images; returns the labels written. */
export function writeCifar10Binary(root: string): { dir: string; train: number[]; test: number[] } {
  const dir = path.join(root, 'cifar-10-batches-bin');
  fs.mkdirSync(dir, { recursive: true });
  const train: number[] = [];
  for (let batch = 1; batch <= 5; batch++) {
    const labels = [(batch * 2) % 10, (batch * 2 + 1) % 10];
    train.push(...labels);
    fs.writeFileSync(
      path.join(dir, `data_batch_${batch}.bin`),
      cifarBinaryBytes(
        labels.map((label) => [label]),
        batch,
      ),
    );
  }
  const test = [9, 0, 5];
  fs.writeFileSync(
    path.join(dir, 'test_batch.bin'),
    cifarBinaryBytes(
      test.map((label) => [label]),
      0,
    ),
  );
  fs.writeFileSync(path.join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
  return { dir, train, test };
}

/** cifar-100-binary: train.bin (3 images) and test.bin (2) with [coarse, fine] label bytes. */
export function writeCifar100Binary(root: string): { dir: string; train: number[][]; test: number[][] } {
  const dir = path.join(root, 'cifar-100-binary');
  fs.mkdirSync(dir, { recursive: true });
  const train = [
    [3, 71],
    [19, 0],
    [0, 99],
  ];
  const test = [
    [7, 42],
    [12, 5],
  ];
  fs.writeFileSync(path.join(dir, 'train.bin'), cifarBinaryBytes(train, 1));
  fs.writeFileSync(path.join(dir, 'test.bin'), cifarBinaryBytes(test, 2));
  fs.writeFileSync(path.join(dir, 'fine_label_names.txt'), Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n'));
  fs.writeFileSync(path.join(dir, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n'));
  return { dir, train, test };
}

/** The HWC pixels of a fixture image stored CHW (CIFAR layout). */
export function cifarHwc(item: number, salt: number): Uint8Array {
  const hwc = new Uint8Array(3072);
  for (let k = 0; k < 3072; k++) {
    const channel = Math.floor(k / 1024);
    hwc[(k % 1024) * 3 + channel] = fixturePixel(item, k, salt);
  }
  return hwc;
}

/**
 * miniImageNet folders: images/<file> as real PNG (or JPEG) files, train/val/test.csv with `filename,label`.
 * `perClass` images per class; image j of class c has every pixel ((c * 40 + j * 9 + channel * 50) % 256).
 */
export async function writeMiniImageNetFolders(
  dir: string,
  classesBySplit: Record<'train' | 'val' | 'test', string[]>,
  perClass: number,
  size: number,
  format: 'png' | 'jpeg',
): Promise<void> {
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  let classNumber = 0;
  for (const [split, classes] of Object.entries(classesBySplit)) {
    const rows = ['filename,label'];
    for (const name of classes) {
      for (let j = 0; j < perClass; j++) {
        const file = `${name}${String(j).padStart(8, '0')}.${format === 'png' ? 'png' : 'jpg'}`;
        const raw = sharp(Buffer.from(miniImageNetPixels(classNumber, j, size)), { raw: { width: size, height: size, channels: 3 } });
        await (format === 'png' ? raw.png() : raw.jpeg({ quality: 95 })).toFile(path.join(dir, 'images', file));
        rows.push(`${file},${name}`);
      }
      classNumber++;
    }
    fs.writeFileSync(path.join(dir, `${split}.csv`), `${rows.join('\n')}\n`);
  }
}

export function miniImageNetPixels(classNumber: number, j: number, size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (classNumber * 40 + j * 9 + (i % 3) * 50 + Math.floor(i / 3)) % 256;
  return pixels;
}
