/**
 * Regression cases for decompression bombs (issue 15, item 4): a gzipped IDX file is inflated no further than its
 * header declares, a declaration beyond a sane bound or beyond what the gzip data can hold is refused before
 * inflating, and a truncated gzip says so. Each ends at once with one line naming the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { MAX_DATA_FILE_BYTES, readDataFile } from '../src/data/decompress';
import { readCifarBinary } from '../src/data/readers/cifar-binary';
import { readIdx } from '../src/data/readers/idx';
import { AcafError } from '../src/errors';
import { acaf } from './helpers/cli';
import '../src/plugins';
import { loadDataset } from '../src/data';
import { idxBytes, removeTempDirs, tempDir, writeCifar10Binary, writeIdxDataset } from './helpers/data-fixtures';

afterAll(removeTempDirs);

const header = (dims: number[]) => idxBytes(dims, new Uint8Array(0));

/**
 * A 3.8 MB gzip that inflates to about 4 GB: the header of a 10x28x28 IDX file, then 240 gzip members of 16 MiB of
 * zeros each (a gzip file may hold several members, which gunzip concatenates).
 */
function bomb(): Buffer {
  const zeros = gzipSync(Buffer.alloc(16 * 2 ** 20), { level: 9 });
  return Buffer.concat([gzipSync(header([10, 28, 28])), ...Array(240).fill(zeros)]);
}

function errorOf(read: () => unknown): string {
  const started = Date.now();
  let caught: unknown;
  try {
    read();
  } catch (error) {
    caught = error;
  }
  expect(Date.now() - started).toBeLessThan(5000);
  expect(caught).toBeInstanceOf(AcafError);
  expect((caught as Error).message.split('\n')).toHaveLength(1);
  return (caught as Error).message;
}

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
const write = (name: string, bytes: Buffer) => {
  fs.writeFileSync(path.join(dir, name), bytes);
  return path.join(dir, name);
};

it('the 3.8 MB bomb through the CLI: one line saying the decompressed size exceeds the declared one, exit 1', () => {
  const data = path.join(tempDir(), 'fashion');
  fs.cpSync(path.join(__dirname, '..', 'data', 'fashion-mnist-sample'), data, { recursive: true });
  const file = path.join(data, 'train-images-idx3-ubyte.gz');
  fs.writeFileSync(file, bomb());
  expect(fs.statSync(file).size).toBeGreaterThan(3_500_000);
  const started = Date.now();
  const result = acaf(['data', 'info', '--dataset', 'fashion-mnist', '--dir', data], { timeoutMs: 60000 });
  expect(Date.now() - started).toBeLessThan(30000);
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    `acaf: ${file}: decompressed size exceeds 7856 bytes (the size its IDX header declares (dimensions 10x28x28))`,
  ]);
});

it('a header declaring more than the sane bound is refused before inflating anything', () => {
  const file = write('huge-idx3-ubyte.gz', gzipSync(header([60000, 10000, 10000])));
  expect(errorOf(() => readIdx(file, 3))).toBe(
    `${file}: the size its IDX header declares (dimensions 60000x10000x10000) is 6000000000016 bytes, more than the ${MAX_DATA_FILE_BYTES} bytes acaf reads from one data file`,
  );
  const raw = write('huge-idx3-ubyte', header([4294967295, 4294967295, 4294967295]));
  expect(errorOf(() => readIdx(raw, 3))).toMatch(
    /huge-idx3-ubyte: the size its IDX header declares \(dimensions 4294967295x4294967295x4294967295\) is .* bytes, more than/,
  );
});

it('a header declaring more than its gzip data can hold is refused before inflating', () => {
  const file = write('big-idx3-ubyte.gz', gzipSync(header([1000, 1000, 500])));
  expect(errorOf(() => readIdx(file, 3))).toMatch(
    /big-idx3-ubyte\.gz: the size its IDX header declares \(dimensions 1000x1000x500\) is 500000016 bytes, more than its \d+ bytes of gzip data can hold \(at most \d+\)$/,
  );
});

it('a truncated gzip says truncated; garbage after the gzip magic says corrupt', () => {
  const whole = gzipSync(idxBytes([3, 2, 2], new Uint8Array(12).fill(7)));
  const truncated = write('cut-idx3-ubyte.gz', whole.subarray(0, whole.length - 6));
  expect(errorOf(() => readIdx(truncated, 3))).toMatch(/cut-idx3-ubyte\.gz: truncated gzip data \(unexpected end of file\)$/);
  const corrupt = write('junk-idx3-ubyte.gz', Buffer.concat([whole.subarray(0, 10), Buffer.alloc(40, 0xff)]));
  expect(errorOf(() => readIdx(corrupt, 3))).toMatch(/junk-idx3-ubyte\.gz: corrupt gzip data \(.+\)$/);
});

it('a gzipped CIFAR batch without a declared size may hold what its gzip data can, and no more than the bound', () => {
  const record = Buffer.alloc(3073, 1);
  const genuine = write('data_batch_1.bin.gz', gzipSync(Buffer.concat([record, record])));
  expect(readCifarBinary([genuine], 1, 0, 10).count).toBe(2);
  const file = write('bomb_batch.bin', Buffer.concat(Array(80).fill(gzipSync(Buffer.alloc(16 * 2 ** 20), { level: 9 }))));
  expect(errorOf(() => readCifarBinary([file], 1, 0, 10))).toBe(
    `${file}: decompressed size exceeds 184380000 bytes (60000 CIFAR images, more than any CIFAR batch holds)`,
  );
});

it('the genuine gzipped IDX file reads exactly as before', () => {
  const pixels = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
  const file = write('ok-idx3-ubyte.gz', gzipSync(idxBytes([2, 3, 4], pixels)));
  const { dims, data } = readIdx(file, 3);
  expect(dims).toEqual([2, 3, 4]);
  expect(Array.from(data)).toEqual(Array.from(pixels));
  expect(readDataFile(file)).toHaveLength(16 + 24);
});

describe('found by fuzzing: dataset-level errors name the file that causes them', () => {
  it('IDX test images of another shape than the training images name both files', async () => {
    const data = writeIdxDataset(
      tempDir(),
      {
        train: { images: new Uint8Array(12), labels: Uint8Array.from([0, 1]), height: 2, width: 3 },
        t10k: { images: new Uint8Array(6), labels: Uint8Array.from([1]), height: 3, width: 2 },
      },
      true,
    );
    await expect(loadDataset({ type: 'idx', dir: data, classNames: ['a', 'b'] }, { cwd: process.cwd(), seed: 1 })).rejects.toThrow(
      `${path.join(data, 't10k-images-idx3-ubyte.gz')}: test images are 3x2x1 but the training images (${path.join(data, 'train-images-idx3-ubyte.gz')}) are 2x3x1`,
    );
  });

  it('a CIFAR class-name file with the wrong number of names is named', async () => {
    const { dir: cifar } = writeCifar10Binary(tempDir());
    fs.writeFileSync(path.join(cifar, 'batches.meta.txt'), 'a\nb\n');
    await expect(loadDataset({ type: 'cifar10', dir: cifar }, { cwd: process.cwd(), seed: 1 })).rejects.toThrow(
      `${path.join(cifar, 'batches.meta.txt')}: lists 2 class names, expected 10`,
    );
  });
});
