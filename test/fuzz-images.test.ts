/**
 * Fuzzing image files (decoded by sharp) and the miniImageNet CSV that names them, with damaged genuine files:
 * each case gives well-formed pixels or one line naming the damaged file, and never reads an image outside the
 * dataset's folder (see helpers/fuzz.ts for the conventions).
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import '../src/plugins';
import { loadDataset } from '../src/data';
import type { ImageClassificationDataset } from '../src/data/types';
import { readRgbImage } from '../src/detection/image-io';
import { removeTempDirs, tempDir, writeMiniImageNetFolders } from './helpers/data-fixtures';
import { expectResultOrOneLineError, fuzzParameters, fuzzTimeoutMs, mutatedBytes } from './helpers/fuzz';

afterAll(removeTempDirs);

const context = { cwd: process.cwd(), seed: 1 };
const RUNS = 40;

function expectWellFormed(dataset: ImageClassificationDataset): void {
  expect(dataset.shape).toEqual([6, 6, 3]);
  for (const split of [dataset.train, dataset.test]) {
    expect(split.images).toHaveLength(split.count * 108);
    for (const label of split.labels) expect(label >= 0 && label < dataset.classes.length).toBe(true);
  }
}

describe.each(['png', 'jpeg'] as const)('miniImageNet folders of %s files', (format) => {
  let dir: string;
  const load = () => loadDataset({ type: 'mini-imagenet', dir, size: 6, split: { perClassTrain: 1, perClassTest: 1 } }, context);
  beforeAll(async () => {
    dir = path.join(tempDir(), 'mini');
    await writeMiniImageNetFolders(dir, { train: ['n01', 'n02'], val: ['n03'], test: ['n04'] }, 2, 6, format);
    // A real image beside the dataset that no CSV row may reach.
    fs.copyFileSync(path.join(dir, 'images', fs.readdirSync(path.join(dir, 'images'))[0]), path.join(dir, '..', `outside.${format}`));
  });

  it(
    'a damaged image decodes or fails with one line naming it',
    async () => {
      const image = path.join(dir, 'images', fs.readdirSync(path.join(dir, 'images')).sort()[0]);
      const genuine = fs.readFileSync(image);
      await fc.assert(
        fc.asyncProperty(mutatedBytes(genuine), async ({ bytes }) => {
          fs.writeFileSync(image, bytes);
          await expectResultOrOneLineError(image, load, expectWellFormed);
          await expectResultOrOneLineError(
            image,
            () => readRgbImage(image),
            ({ pixels, width, height }) => expect(pixels).toHaveLength(width * height * 3),
          );
        }),
        fuzzParameters(RUNS),
      );
      fs.writeFileSync(image, genuine);
    },
    fuzzTimeoutMs(RUNS, 500),
  );

  it(
    'a damaged train.csv, or one naming files outside the folder, loads or fails with one line naming it',
    async () => {
      const csv = path.join(dir, 'train.csv');
      const genuine = fs.readFileSync(csv);
      const text = genuine.toString('utf8');
      const names = text.match(/n0\d{9}\.(png|jpg)/g)!;
      const hostile = fc
        .tuple(
          fc.constantFrom(...names),
          fc.constantFrom(`../outside.${format}`, path.join(dir, '..', `outside.${format}`), '..', '.', 'x\0y', 'a\\b'),
        )
        .map(([name, replacement]) => Buffer.from(text.replace(name, replacement)));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            mutatedBytes(genuine).map(({ bytes }) => bytes),
            hostile,
          ),
          async (bytes) => {
            fs.writeFileSync(csv, bytes);
            // Too few images left in a class is a problem of the dataset as a whole: that error names its folder.
            await expectResultOrOneLineError(csv, load, expectWellFormed, [`mini-imagenet (${dir})`]);
          },
        ),
        fuzzParameters(RUNS),
      );
      fs.writeFileSync(csv, genuine);
    },
    fuzzTimeoutMs(RUNS, 500),
  );
});
