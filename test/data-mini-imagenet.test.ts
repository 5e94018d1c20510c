import * as fs from 'fs';
import * as path from 'path';
import '../src/plugins';
import { loadDataset } from '../src/data';
import { AcafError } from '../src/errors';
import { miniImageNetPixels, removeTempDirs, tempDir, writeMiniImageNetFolders } from './helpers/data-fixtures';

afterAll(removeTempDirs);

const context = { cwd: process.cwd(), seed: 1 };
const classesBySplit = { train: ['n01', 'n02'], val: ['n03'], test: ['n04'] };

describe('miniImageNet image folders + CSV', () => {
  it('decodes PNG files pixel-exact and splits each class in CSV order', async () => {
    const dir = tempDir();
    await writeMiniImageNetFolders(dir, classesBySplit, 3, 6, 'png');
    const dataset = await loadDataset({ type: 'mini-imagenet', dir, size: 6, split: { perClassTrain: 2, perClassTest: 1 } }, context);
    expect(dataset.classes).toEqual(['n01', 'n02', 'n03', 'n04']);
    expect(dataset.shape).toEqual([6, 6, 3]);
    expect(Array.from(dataset.train.labels)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(Array.from(dataset.test.labels)).toEqual([0, 1, 2, 3]);
    const imageSize = 6 * 6 * 3;
    expect(dataset.train.images.subarray(3 * imageSize, 4 * imageSize)).toEqual(miniImageNetPixels(1, 1, 6));
    expect(dataset.test.images.subarray(2 * imageSize, 3 * imageSize)).toEqual(miniImageNetPixels(2, 2, 6));
  });

  it('decodes JPEG files and resizes them to the requested size', async () => {
    const dir = tempDir();
    await writeMiniImageNetFolders(dir, { train: ['a', 'b'], val: [], test: [] }, 2, 16, 'jpeg');
    const dataset = await loadDataset(
      { type: 'mini-imagenet', dir, splits: ['train'], size: 8, split: { perClassTrain: 1, perClassTest: 1 } },
      context,
    );
    expect(dataset.shape).toEqual([8, 8, 3]);
    expect(dataset.train.images).toHaveLength(2 * 8 * 8 * 3);
    // Lossy and resized: compare the mean of each channel with the source's.
    const source = miniImageNetPixels(1, 0, 16);
    const image = dataset.train.images.subarray(192);
    for (let c = 0; c < 3; c++) {
      const mean = (pixels: Uint8Array) => pixels.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / (pixels.length / 3);
      expect(Math.abs(mean(image) - mean(source))).toBeLessThan(6);
    }
  });

  it('names the CSV line of a missing image, a bad header and an undecodable file', async () => {
    const dir = tempDir();
    await writeMiniImageNetFolders(dir, { train: ['a'], val: [], test: [] }, 2, 4, 'png');
    const options = { type: 'mini-imagenet', dir, splits: ['train'], size: 4, split: { perClassTrain: 1, perClassTest: 1 } };
    const failure = () =>
      loadDataset(options, context).then(
        () => undefined,
        (error: unknown) => error as Error,
      );

    fs.writeFileSync(path.join(dir, 'images', 'a00000001.png'), 'not an image');
    let error = await failure();
    expect(error).toBeInstanceOf(AcafError);
    expect(error?.message).toMatch(/a00000001\.png: cannot decode image/);

    fs.rmSync(path.join(dir, 'images', 'a00000001.png'));
    error = await failure();
    expect(error?.message).toMatch(/train\.csv:3: missing image file .*a00000001\.png/);

    fs.writeFileSync(path.join(dir, 'train.csv'), 'file,class\nx.png,a\n');
    error = await failure();
    expect(error?.message).toMatch(/train\.csv: expected the header 'filename,label', found 'file,class'/);
  });
});
