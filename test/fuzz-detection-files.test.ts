/**
 * Fuzzing the detection readers with damaged genuine files (`acaf detection shapes` output): VOC annotation XML and
 * image-set lists, COCO instances JSON. Each case must give a dataset whose every image file lies inside the
 * dataset's folder, or one line naming the damaged file (see helpers/fuzz.ts for the conventions).
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { readCocoDataset } from '../src/detection/coco';
import { writeShapesDataset } from '../src/detection/shapes-writer';
import type { DetectionDataset } from '../src/detection/types';
import { SHAPE_CLASSES } from '../src/detection/shapes';
import { readVocDataset } from '../src/detection/voc';
import { removeTempDirs, tempDir } from './helpers/data-fixtures';
import { expectResultOrOneLineError, fuzzParameters, fuzzTimeoutMs, mutatedBytes } from './helpers/fuzz';

afterAll(removeTempDirs);

let voc: string;
let coco: string;
beforeAll(async () => {
  voc = path.join(tempDir(), 'voc');
  coco = path.join(tempDir(), 'coco');
  await writeShapesDataset({ out: voc, format: 'voc', images: 4, size: 16, seed: 1 });
  await writeShapesDataset({ out: coco, format: 'coco', images: 4, size: 16, seed: 1 });
});

/** Every image file inside `folder` (its real path too), every box four finite numbers, labels in range. */
function expectInside(folder: string): (dataset: DetectionDataset) => void {
  const real = fs.realpathSync(folder);
  return (dataset) => {
    for (const image of dataset.images) {
      expect(path.resolve(image.file).startsWith(`${folder}${path.sep}`)).toBe(true);
      if (fs.existsSync(image.file)) expect(fs.realpathSync(image.file).startsWith(`${real}${path.sep}`)).toBe(true);
      expect(image.boxes).toHaveLength(image.labels.length * 4);
      for (const label of image.labels) expect(label >= 0 && label < dataset.classes.length).toBe(true);
    }
  };
}

const RUNS = 80;

/** Damages `file` RUNS times, text edits included (an entry replaced by a traversal), reading the dataset each time. */
async function fuzzFile(file: string, read: () => DetectionDataset, check: (dataset: DetectionDataset) => void): Promise<void> {
  const genuine = fs.readFileSync(file);
  const text = genuine.toString('utf8');
  // Hostile names spliced in place of a genuine image name, besides byte-level damage.
  const hostileNames = fc.constantFrom('../../../etc/passwd', '/etc/passwd', '..\\\\..\\\\x.jpg', 'a\\u0000b.jpg', '..', '.', '');
  const names = [...new Set(text.match(/shape_\d{6}(\.jpg)?/g) ?? [])];
  const damaged = fc.oneof(
    mutatedBytes(genuine).map(({ bytes }) => bytes),
    fc
      .tuple(fc.constantFrom(...names), hostileNames)
      .map(([name, hostile]) => Buffer.from(text.replace(name, hostile.replace(/\\\\/g, '\\')))),
  );
  await fc.assert(
    fc.asyncProperty(damaged, async (bytes) => {
      fs.writeFileSync(file, bytes);
      await expectResultOrOneLineError(file, read, check);
    }),
    fuzzParameters(RUNS),
  );
  fs.writeFileSync(file, genuine);
}

it(
  'VOC: a damaged annotation XML gives images inside the folder or one line naming the file',
  async () => {
    const xml = path.join(voc, 'Annotations', fs.readdirSync(path.join(voc, 'Annotations')).sort()[0]);
    const read = () => readVocDataset({ root: voc, split: 'trainval', classes: SHAPE_CLASSES });
    expectInside(voc)(read());
    await fuzzFile(xml, read, expectInside(voc));
  },
  fuzzTimeoutMs(RUNS),
);

it(
  'VOC: a damaged image-set list gives images inside the folder or one line naming the file',
  async () => {
    const list = path.join(voc, 'ImageSets', 'Main', 'trainval.txt');
    const read = () => readVocDataset({ root: voc, split: 'trainval', classes: SHAPE_CLASSES });
    await fuzzFile(list, read, expectInside(voc));
  },
  fuzzTimeoutMs(RUNS),
);

it(
  'COCO: a damaged instances file gives images inside the image folder or one line naming the file',
  async () => {
    const file = path.join(coco, 'annotations', 'instances_train.json');
    const images = path.join(coco, 'train');
    const read = () => readCocoDataset({ annotationFile: file, imageDir: images });
    expectInside(images)(read());
    await fuzzFile(file, read, expectInside(images));
  },
  fuzzTimeoutMs(RUNS),
);
