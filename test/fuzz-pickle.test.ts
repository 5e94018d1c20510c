/**
 * Fuzzing the pickle readers (CIFAR Python batches, miniImageNet caches) with damaged genuine files: each case
 * loads the dataset and must give a well-formed dataset or one line naming the damaged file (see helpers/fuzz.ts).
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import '../src/plugins';
import { loadDataset } from '../src/data';
import { unpickle } from '../src/data/readers/pickle';
import { dataPickleGlobals } from '../src/data/readers/pickle-globals';
import { FIXTURES, removeTempDirs, tempDir } from './helpers/data-fixtures';
import {
  expectOneLineError,
  expectResultOrOneLineError,
  expectWellFormedDataset,
  fuzzParameters,
  fuzzTimeoutMs,
  mutatedBytes,
} from './helpers/fuzz';

afterAll(removeTempDirs);

const context = { cwd: process.cwd(), seed: 1 };

const cases = [
  { fixture: 'cifar-10-batches-py-py2', file: 'data_batch_1', options: { type: 'cifar10' } },
  { fixture: 'cifar-10-batches-py-py3-proto2', file: 'batches.meta', options: { type: 'cifar10' } },
  { fixture: 'cifar-100-python-py3-proto2', file: 'train', options: { type: 'cifar100' } },
  { fixture: 'cifar-100-python-py2', file: 'meta', options: { type: 'cifar100', labels: 'coarse' } },
  {
    fixture: 'mini-imagenet-pkl-py3-proto4',
    file: 'mini-imagenet-cache-train.pkl',
    options: { type: 'mini-imagenet', size: 8, split: { perClassTrain: 2, perClassTest: 1 } },
  },
  {
    fixture: 'mini-imagenet-pkl-py3-proto5',
    file: 'mini-imagenet-cache-val.pkl',
    options: { type: 'mini-imagenet', size: 4, split: { perClassTrain: 2, perClassTest: 1 } },
  },
];

const RUNS = 40;

describe.each(cases)('damaged $fixture/$file', ({ fixture, file, options }) => {
  it(
    'loads into a well-formed dataset or fails with one line naming the file',
    async () => {
      const dir = path.join(tempDir(), fixture);
      fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
      const target = path.join(dir, file);
      const genuine = fs.readFileSync(target);
      await fc.assert(
        fc.asyncProperty(mutatedBytes(genuine), async ({ bytes }) => {
          fs.writeFileSync(target, bytes);
          await expectResultOrOneLineError(target, () => loadDataset({ ...options, dir }, context), expectWellFormedDataset);
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTimeoutMs(RUNS),
  );
});

/** Opcode bytes the unpickler knows, so that random pickles get past the first byte and reach length fields. */
const OPCODE_BYTES = Buffer.from(
  '\x80\x95(N\x88\x89JKM\x8a\x8bGIX\x8c\x8dTUBC\x8e\x96)]}\x8f\x85\x86\x87tldaesu\x90c\x93R\x81bqr\x94hj02.',
  'latin1',
);

it(
  'random opcode streams with extreme operands end at once in a value or one line naming the file',
  () => {
    const chunk = fc.oneof(
      fc.constantFrom(...OPCODE_BYTES).map((code) => [code]),
      fc.constantFrom(0, 1, 0x7f, 0x80, 0xff).map((value) => [value, value, value, value]),
      fc.uint8Array({ maxLength: 8 }).map((bytes) => [...bytes]),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 40 }), (chunks) => {
        const pickle = Uint8Array.from(chunks.flat());
        const started = Date.now();
        try {
          unpickle(pickle, 'random.pkl', dataPickleGlobals);
        } catch (error) {
          expectOneLineError(error, 'random.pkl');
        }
        expect(Date.now() - started).toBeLessThan(1000);
      }),
      fuzzParameters(1000),
    );
  },
  fuzzTimeoutMs(1000, 5),
);
