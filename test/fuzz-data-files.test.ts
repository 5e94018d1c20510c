/**
 * Fuzzing the binary dataset readers with damaged genuine files: IDX (raw and gzipped) and CIFAR binary batches.
 * Each case loads the dataset and must give a well-formed dataset or one line naming the damaged file (see
 * helpers/fuzz.ts for the conventions: ACAF_FUZZ_RUNS, ACAF_FUZZ_SEED).
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import '../src/plugins';
import { loadDataset } from '../src/data';
import type { ImageClassificationDataset } from '../src/data/types';
import { removeTempDirs, tempDir, writeCifar100Binary, writeCifar10Binary, writeIdxDataset } from './helpers/data-fixtures';
import { expectResultOrOneLineError, expectWellFormedDataset, fuzzParameters, fuzzTimeoutMs, mutatedBytes } from './helpers/fuzz';

afterAll(removeTempDirs);

const context = { cwd: process.cwd(), seed: 1 };

/** Six 4x5 training images and three test images, labels 0..3. */
function idxDataset(dir: string, gzip: boolean): string {
  const image = (count: number, salt: number) => Uint8Array.from({ length: count * 20 }, (_, i) => (i * 7 + salt) % 256);
  return writeIdxDataset(
    dir,
    {
      train: { images: image(6, 1), labels: Uint8Array.from([0, 1, 2, 3, 0, 1]), height: 4, width: 5 },
      t10k: { images: image(3, 2), labels: Uint8Array.from([3, 2, 1]), height: 4, width: 5 },
    },
    gzip,
  );
}

const RUNS = 30;

/** Damages `file` (a path inside the dataset folder) RUNS times and loads the dataset each time. */
async function fuzzFile(file: string, load: () => Promise<ImageClassificationDataset>): Promise<void> {
  const genuine = fs.readFileSync(file);
  await fc.assert(
    fc.asyncProperty(mutatedBytes(genuine), async ({ bytes }) => {
      fs.writeFileSync(file, bytes);
      await expectResultOrOneLineError(file, load, expectWellFormedDataset);
    }),
    fuzzParameters(RUNS),
  );
  fs.writeFileSync(file, genuine);
}

describe.each([
  ['raw', false, ''],
  ['gzipped', true, '.gz'],
])('IDX %s', (_, gzip, extension) => {
  it.each(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte'])(
    'damaged %s: a well-formed dataset or one line naming the file',
    async (stem) => {
      const dir = idxDataset(tempDir(), gzip);
      const load = () => loadDataset({ type: 'idx', dir, classNames: ['a', 'b', 'c', 'd'] }, context);
      expectWellFormedDataset(await load());
      await fuzzFile(path.join(dir, `${stem}${extension}`), load);
    },
    fuzzTimeoutMs(RUNS),
  );
});

describe('CIFAR binary', () => {
  it.each(['data_batch_1.bin', 'test_batch.bin', 'batches.meta.txt'])(
    'CIFAR-10 with a damaged %s: a well-formed dataset or one line naming the file',
    async (name) => {
      const { dir } = writeCifar10Binary(tempDir());
      const load = () => loadDataset({ type: 'cifar10', dir }, context);
      expectWellFormedDataset(await load());
      await fuzzFile(path.join(dir, name), load);
    },
    fuzzTimeoutMs(RUNS),
  );

  it(
    'CIFAR-100 with a damaged train.bin: a well-formed dataset or one line naming the file',
    async () => {
      const { dir } = writeCifar100Binary(tempDir());
      const load = () => loadDataset({ type: 'cifar100', dir }, context);
      expectWellFormedDataset(await load());
      await fuzzFile(path.join(dir, 'train.bin'), load);
    },
    fuzzTimeoutMs(RUNS),
  );
});
