import * as fs from 'fs';
import * as path from 'path';
import '../src/plugins';
import { loadDataset } from '../src/data';
import { unpickle } from '../src/data/readers/pickle';
import { dataPickleGlobals } from '../src/data/readers/pickle-globals';
import { AcafError } from '../src/errors';
import { cifarHwc, FIXTURES, fixturePixel, removeTempDirs, tempDir } from './helpers/data-fixtures';

afterAll(removeTempDirs);

const context = { cwd: process.cwd(), seed: 1 };

async function expectError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AcafError);
  expect((error as Error).message).toMatch(pattern);
}

/** A copy of a fixture folder that a test may damage. */
function copyFixture(name: string): string {
  const dir = path.join(tempDir(), name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

// Python 2's cPickle (what the official CIFAR files are) and Python 3 at protocol 2 write bytes differently.
describe.each(['py2', 'py3-proto2'])('CIFAR Python pickles written by %s', (style) => {
  it('CIFAR-10: five training batches in order, labels and class names exact, pixels CHW -> HWC', async () => {
    const dataset = await loadDataset({ type: 'cifar10', dir: path.join(FIXTURES, `cifar-10-batches-py-${style}`) }, context);
    expect(dataset.classes).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(dataset.train.count).toBe(15);
    expect(Array.from(dataset.train.labels)).toEqual([1, 2, 3, 4, 5].flatMap((b) => [0, 1, 2].map((i) => (b * 3 + i) % 10)));
    expect(Array.from(dataset.test.labels)).toEqual([9, 0]);
    // Image 2 of data_batch_4 is training image 11.
    expect(dataset.train.images.subarray(11 * 3072, 12 * 3072)).toEqual(cifarHwc(2, 4));
    expect(dataset.test.images.subarray(3072)).toEqual(cifarHwc(1, 0));
  });

  it.each(['fine', 'coarse'] as const)('CIFAR-100 with %s labels', async (labels) => {
    const dataset = await loadDataset({ type: 'cifar100', dir: path.join(FIXTURES, `cifar-100-python-${style}`), labels }, context);
    const expected = (salt: number, count: number) =>
      Array.from({ length: count }, (_, i) => (labels === 'fine' ? (salt * 37 + i * 41) % 100 : (salt * 3 + i * 7) % 20));
    expect(dataset.classes).toHaveLength(labels === 'fine' ? 100 : 20);
    expect(dataset.classes[7]).toBe(`${labels}7`);
    expect(Array.from(dataset.train.labels)).toEqual(expected(1, 4));
    expect(Array.from(dataset.test.labels)).toEqual(expected(2, 2));
    expect(dataset.train.images.subarray(3 * 3072)).toEqual(cifarHwc(3, 1));
  });
});

describe.each(['py3-proto4', 'py3-proto5'])('miniImageNet cache pickles written at %s', (style) => {
  it('pools the classes of all splits and splits each class in class_dict order', async () => {
    const dir = path.join(FIXTURES, `mini-imagenet-pkl-${style}`);
    const dataset = await loadDataset({ type: 'mini-imagenet', dir, size: 8, split: { perClassTrain: 2, perClassTest: 1 } }, context);
    expect(dataset.classes).toEqual(['n01', 'n02', 'n03', 'n04']);
    expect(dataset.shape).toEqual([8, 8, 3]);
    expect(Array.from(dataset.train.labels)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(Array.from(dataset.test.labels)).toEqual([0, 1, 2, 3]);
    const image = (item: number, salt: number) => Uint8Array.from({ length: 192 }, (_, k) => fixturePixel(item, k, salt));
    // class_dict lists each class's images in reverse: n02 (train pickle, salt 1) is [5, 4, 3].
    expect(dataset.train.images.subarray(2 * 192, 3 * 192)).toEqual(image(5, 1));
    expect(dataset.test.images.subarray(1 * 192, 2 * 192)).toEqual(image(3, 1));
    // n04 is the test pickle's (salt 3) class 0: [2, 1, 0]; its test image is the third.
    expect(dataset.test.images.subarray(3 * 192)).toEqual(image(0, 3));
  });

  it('resizes to the requested size and rejects a split larger than a class', async () => {
    const dir = path.join(FIXTURES, `mini-imagenet-pkl-${style}`);
    const resized = await loadDataset(
      { type: 'mini-imagenet', dir, size: 4, splits: ['val'], split: { perClassTrain: 1, perClassTest: 1 } },
      context,
    );
    expect(resized.shape).toEqual([4, 4, 3]);
    expect(resized.train.images).toHaveLength(48);
    await expectError(
      loadDataset({ type: 'mini-imagenet', dir, size: 8 }, context),
      /class n01 has 3 images, fewer than split\.perClassTrain \+ split\.perClassTest = 600/,
    );
  });
});

describe('pickle errors name the file and the problem', () => {
  it('truncated, corrupt, foreign globals, wrong shape, missing key', async () => {
    const truncated = copyFixture('cifar-10-batches-py-py2');
    const batch = path.join(truncated, 'data_batch_3');
    fs.writeFileSync(batch, fs.readFileSync(batch).subarray(0, 4000));
    await expectError(loadDataset({ type: 'cifar10', dir: truncated }, context), /data_batch_3: truncated pickle/);

    expect(() => unpickle(Buffer.from('\x80\x02cos\nsystem\nq\x00.', 'latin1'), 'evil.pkl', dataPickleGlobals)).toThrow(
      /evil\.pkl: pickle refers to the unsupported Python object os\.system/,
    );
    expect(() => unpickle(Buffer.from([0x80, 0x02, 0xff]), 'odd.pkl', dataPickleGlobals)).toThrow(
      /odd\.pkl: unsupported pickle opcode 0xff at byte 2/,
    );
    expect(() => unpickle(Buffer.from([0x80, 0x02, 0x61]), 'odd.pkl', dataPickleGlobals)).toThrow(
      /odd\.pkl: corrupt pickle: stack underflow/,
    );

    // A mini-imagenet pickle whose image_data is a CIFAR row matrix.
    const wrongShape = path.join(tempDir(), 'wrong');
    fs.mkdirSync(wrongShape);
    fs.copyFileSync(
      path.join(FIXTURES, 'cifar-10-batches-py-py3-proto2', 'test_batch'),
      path.join(wrongShape, 'mini-imagenet-cache-train.pkl'),
    );
    await expectError(
      loadDataset({ type: 'mini-imagenet', dir: wrongShape, splits: ['train'] }, context),
      /mini-imagenet-cache-train\.pkl: missing key 'image_data' \(keys: batch_label, labels, data, filenames\)/,
    );

    // The test batch's 'data' re-declared as shape (3, 2048): same bytes, wrong shape.
    const reshaped = copyFixture('cifar-10-batches-py-py2');
    const testBatch = path.join(reshaped, 'test_batch');
    const bytes = fs.readFileSync(testBatch);
    const shapeAt = bytes.indexOf(Buffer.from('K\x02M\x00\x0c\x86', 'latin1'));
    expect(shapeAt).toBeGreaterThan(0);
    Buffer.from('K\x03M\x00\x08\x86', 'latin1').copy(bytes, shapeAt);
    fs.writeFileSync(testBatch, bytes);
    await expectError(
      loadDataset({ type: 'cifar10', dir: reshaped }, context),
      /test_batch: 'data' has shape \[3,2048\], expected \[N, 3072\]/,
    );

    const notMatrix = copyFixture('cifar-10-batches-py-py3-proto2');
    fs.copyFileSync(path.join(FIXTURES, 'mini-imagenet-pkl-py3-proto4', 'mini-imagenet-cache-val.pkl'), path.join(notMatrix, 'test_batch'));
    await expectError(loadDataset({ type: 'cifar10', dir: notMatrix }, context), /test_batch: missing key 'data'/);
  });
});
