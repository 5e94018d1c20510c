import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import '../src/plugins';
import { loadDataset } from '../src/data';
import { AcafError } from '../src/errors';
import {
  cifarHwc,
  idxBytes,
  removeTempDirs,
  tempDir,
  writeCifar100Binary,
  writeCifar10Binary,
  writeIdxDataset,
} from './helpers/data-fixtures';

afterAll(removeTempDirs);

const context = () => ({ cwd: process.cwd(), seed: 1 });

/** Two 2x3 training images and one test image with known bytes. */
function smallIdx(dir: string, gzip: boolean): string {
  return writeIdxDataset(
    dir,
    {
      train: {
        images: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]),
        labels: Uint8Array.from([3, 1]),
        height: 2,
        width: 3,
      },
      t10k: { images: Uint8Array.from([9, 8, 7, 6, 5, 4]), labels: Uint8Array.from([2]), height: 2, width: 3 },
    },
    gzip,
  );
}

async function expectError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AcafError);
  expect((error as Error).message).toMatch(pattern);
  expect((error as Error).message).not.toContain('\n');
}

describe('IDX', () => {
  it.each([true, false])('reads gzipped=%s files pixel- and label-exact', async (gzip) => {
    const dir = smallIdx(tempDir(), gzip);
    const dataset = await loadDataset({ type: 'idx', dir, classNames: ['a', 'b', 'c', 'd'] }, context());
    expect(dataset.shape).toEqual([2, 3, 1]);
    expect(Array.from(dataset.train.images)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(Array.from(dataset.train.labels)).toEqual([3, 1]);
    expect(Array.from(dataset.test.images)).toEqual([9, 8, 7, 6, 5, 4]);
    expect(dataset.test.count).toBe(1);
    expect(dataset.classes).toEqual(['a', 'b', 'c', 'd']);
  });

  it('names the file for a wrong magic number, truncation, a label out of range, a missing file or dir', async () => {
    const build = (dir: string) => loadDataset({ type: 'idx', dir, classNames: ['a', 'b', 'c', 'd'] }, context());
    const wrongMagic = smallIdx(tempDir(), false);
    const file = path.join(wrongMagic, 'train-labels-idx1-ubyte');
    fs.writeFileSync(file, idxBytes([2, 1], Uint8Array.from([1, 1])));
    await expectError(build(wrongMagic), /train-labels-idx1-ubyte: wrong IDX magic number 0x00000802, expected 0x00000801/);

    const truncated = smallIdx(tempDir(), true);
    const images = path.join(truncated, 'train-images-idx3-ubyte.gz');
    fs.writeFileSync(images, gzipSync(idxBytes([2, 2, 3], new Uint8Array(12)).subarray(0, 20)));
    await expectError(build(truncated), /train-images-idx3-ubyte\.gz: truncated IDX data: 4 of 12 bytes/);

    const corruptGzip = smallIdx(tempDir(), true);
    fs.writeFileSync(path.join(corruptGzip, 't10k-images-idx3-ubyte.gz'), gzipSync(Buffer.alloc(100)).subarray(0, 15));
    await expectError(build(corruptGzip), /t10k-images-idx3-ubyte\.gz: truncated gzip data \(unexpected end of file\)/);

    const badLabel = smallIdx(tempDir(), false);
    fs.writeFileSync(path.join(badLabel, 'train-labels-idx1-ubyte'), idxBytes([2], Uint8Array.from([1, 4])));
    await expectError(build(badLabel), /train-labels-idx1-ubyte: label 4 of item 1 is out of range 0\.\.3/);

    const missing = smallIdx(tempDir(), false);
    fs.rmSync(path.join(missing, 't10k-labels-idx1-ubyte'));
    await expectError(build(missing), /missing file .*t10k-labels-idx1-ubyte\.gz/);

    await expectError(build('/nonexistent/acaf-idx'), /data\.dir \/nonexistent\/acaf-idx does not exist/);
  });
});

describe('CIFAR binary', () => {
  it('reads CIFAR-10 batches in order, CHW turned into HWC', async () => {
    const root = tempDir();
    const written = writeCifar10Binary(root);
    for (const dir of [root, written.dir]) {
      const dataset = await loadDataset({ type: 'cifar10', dir, format: 'auto' }, context());
      expect(dataset.shape).toEqual([32, 32, 3]);
      expect(dataset.classes[9]).toBe('truck');
      expect(Array.from(dataset.train.labels)).toEqual(written.train);
      expect(Array.from(dataset.test.labels)).toEqual(written.test);
      // Image 1 of data_batch_3 is training image 5.
      expect(dataset.train.images.subarray(5 * 3072, 6 * 3072)).toEqual(cifarHwc(1, 3));
      expect(dataset.test.images.subarray(2 * 3072)).toEqual(cifarHwc(2, 0));
    }
  });

  it.each(['fine', 'coarse'] as const)('reads CIFAR-100 with %s labels', async (labels) => {
    const written = writeCifar100Binary(tempDir());
    const dataset = await loadDataset({ type: 'cifar100', dir: written.dir, format: 'binary', labels }, context());
    const pick = labels === 'coarse' ? 0 : 1;
    expect(dataset.classes).toHaveLength(labels === 'coarse' ? 20 : 100);
    expect(dataset.classes[1]).toBe(`${labels}1`);
    expect(Array.from(dataset.train.labels)).toEqual(written.train.map((pair) => pair[pick]));
    expect(Array.from(dataset.test.labels)).toEqual(written.test.map((pair) => pair[pick]));
    expect(dataset.train.images.subarray(2 * 3072)).toEqual(cifarHwc(2, 1));
  });

  it('names the file of a truncated batch, an out-of-range label and a missing batch', async () => {
    const truncated = writeCifar10Binary(tempDir());
    const batch = path.join(truncated.dir, 'data_batch_2.bin');
    fs.writeFileSync(batch, fs.readFileSync(batch).subarray(0, 5000));
    await expectError(
      loadDataset({ type: 'cifar10', dir: truncated.dir }, context()),
      /data_batch_2\.bin: truncated or not a CIFAR batch: 5000 bytes is not a whole number of 3073-byte records/,
    );

    const badLabel = writeCifar100Binary(tempDir());
    fs.writeFileSync(path.join(badLabel.dir, 'test.bin'), Buffer.from([25, 3, ...new Uint8Array(3072)]));
    await expectError(
      loadDataset({ type: 'cifar100', dir: badLabel.dir, labels: 'coarse' }, context()),
      /test\.bin: label 25 of item 0 is out of range 0\.\.19/,
    );

    const missing = writeCifar10Binary(tempDir());
    fs.rmSync(path.join(missing.dir, 'test_batch.bin'));
    await expectError(loadDataset({ type: 'cifar10', dir: missing.dir }, context()), /cifar10 .*missing file .*test_batch\.bin/);

    await expectError(
      loadDataset({ type: 'cifar10', dir: tempDir() }, context()),
      /cifar10: .* holds no cifar-10-batches-bin or cifar-10-batches-py files/,
    );
  });
});
