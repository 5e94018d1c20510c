import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { batches, channelStats, createPipeline, loadDataset } from '../src/data';
import { applyCommonOptions } from '../src/data/load';
import { drawAugmentation, writeAugmented } from '../src/data/augment';
import { normalizeImage } from '../src/data/normalize';
import { createRandom } from '../src/data/random';
import type { ImageClassificationDataset, ImageSplit } from '../src/data/types';
import { AcafError } from '../src/errors';

/** n (at most 25) images of 2x2x1 whose four pixels are 10*i + (0, 1, 2, 3), labelled i % 3. */
function tinySplit(n: number): ImageSplit {
  const images = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) images.set([10 * i, 10 * i + 1, 10 * i + 2, 10 * i + 3], i * 4);
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i % 3), count: n };
}

function tinyDataset(n: number): ImageClassificationDataset {
  return { name: 'tiny', shape: [2, 2, 1], classes: ['a', 'b', 'c'], train: tinySplit(n), test: tinySplit(4) };
}

const firstPixels = (list: { images: Float32Array }[]) => list.flatMap((batch) => Array.from(batch.images.filter((_, i) => i % 4 === 0)));

describe('batches', () => {
  it('keeps the last partial batch unless told to drop it, and keeps labels with their images', () => {
    const split = tinySplit(10);
    const all = [...batches(split, [2, 2, 1], { batchSize: 4, shuffle: true, seed: 3, epoch: 0 })];
    expect(all.map((batch) => batch.size)).toEqual([4, 4, 2]);
    expect(all[2].images).toHaveLength(2 * 4);
    const seen = firstPixels(all)
      .map((pixel) => pixel / 10)
      .sort((a, b) => a - b);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const batch of all) {
      for (let item = 0; item < batch.size; item++) expect(batch.labels[item]).toBe((batch.images[item * 4] / 10) % 3);
    }
    expect([...batches(split, [2, 2, 1], { batchSize: 4, dropLast: true })].map((batch) => batch.size)).toEqual([4, 4]);
  });

  it('is deterministic by (seed, epoch): same batches again, another order in another epoch or seed', () => {
    const split = tinySplit(24);
    const order = (seed: number, epoch: number) =>
      firstPixels([...batches(split, [2, 2, 1], { batchSize: 8, shuffle: true, seed, epoch, augment: { flip: true, crop: 1 } })]);
    expect(order(1, 0)).toEqual(order(1, 0));
    expect(order(1, 1)).not.toEqual(order(1, 0));
    expect(order(2, 0)).not.toEqual(order(1, 0));
    const unshuffled = firstPixels([...batches(split, [2, 2, 1], { batchSize: 8 })]);
    expect(unshuffled).toEqual(Array.from({ length: 24 }, (_, i) => 10 * i));
  });

  it('never augments or shuffles the test split of a pipeline', () => {
    const pipeline = createPipeline(tinyDataset(8), { augment: { crop: 1, flip: true, brightness: 50 }, normalize: 'none' }, 1);
    const test = [...pipeline.testBatches(3)];
    expect(test.map((batch) => Array.from(batch.images))).toEqual([
      [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23],
      [30, 31, 32, 33],
    ]);
    const train = [...pipeline.trainBatches(0, 8)][0];
    expect(Array.from(train.images)).not.toEqual(Array.from(tinySplit(8).images));
    expect(pipeline.stepsPerEpoch(3)).toBe(3);
  });

  it('feeds tfjs without leaking tensors', () => {
    tf.env().set('PROD', true); // silence the "install tfjs-node" banner
    const before = tf.memory().numTensors;
    const pipeline = createPipeline(tinyDataset(6), { normalize: 'per-image' }, 1);
    for (const batch of pipeline.trainBatches(0, 4)) {
      const images = tf.tensor4d(batch.images, [batch.size, 2, 2, 1]);
      const labels = tf.tensor1d(batch.labels, 'int32');
      expect(labels.shape).toEqual([batch.size]);
      tf.dispose([images, labels]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('augmentation on hand-made images', () => {
  // A 3x3x1 image 1..9, row-major.
  const image = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const apply = (pad: number, draw: Partial<Parameters<typeof writeAugmented>[6]>) => {
    const target = new Float32Array(9);
    writeAugmented(image, 0, target, 0, [3, 3, 1], pad, {
      cropY: pad,
      cropX: pad,
      flip: false,
      brightnessDelta: 0,
      contrastFactor: 1,
      ...draw,
    });
    return Array.from(target);
  };

  it('crops from the zero-padded image and flips horizontally', () => {
    expect(apply(1, {})).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(apply(1, { cropY: 0, cropX: 0 })).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
    expect(apply(1, { cropY: 2, cropX: 1 })).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]);
    expect(apply(0, { flip: true })).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    // Crop then flip, as the tutorial does: the flipped crop of the bottom-right corner.
    expect(apply(1, { cropY: 2, cropX: 2, flip: true })).toEqual([0, 6, 5, 0, 9, 8, 0, 0, 0]);
  });

  it('adds brightness and scales contrast around the channel mean', () => {
    expect(apply(0, { brightnessDelta: -1.5 })).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]);
    expect(apply(0, { contrastFactor: 2 })).toEqual([-3, -1, 1, 3, 5, 7, 9, 11, 13]);
  });

  it('draws only what is switched on, within range', () => {
    const random = createRandom(5);
    for (let i = 0; i < 200; i++) {
      const draw = drawAugmentation(random, { crop: 2, brightness: 63, contrast: 0.8 });
      expect(draw.flip).toBe(false);
      expect(draw.cropY).toBeGreaterThanOrEqual(0);
      expect(draw.cropX).toBeLessThanOrEqual(4);
      expect(Math.abs(draw.brightnessDelta)).toBeLessThanOrEqual(63);
      expect(draw.contrastFactor).toBeGreaterThanOrEqual(0.2);
      expect(draw.contrastFactor).toBeLessThanOrEqual(1.8);
    }
  });
});

describe('normalisation', () => {
  it('per-image: (x - mean) / max(std, 1/sqrt(N)), also for a flat image', () => {
    const image = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    normalizeImage(image, 0, 9, 1, 'per-image');
    const std = Math.sqrt(60 / 9);
    Array.from(image).forEach((value, i) => expect(value).toBeCloseTo((i + 1 - 5) / std, 5));
    const flat = Float32Array.from([7, 7, 7, 7]);
    normalizeImage(flat, 0, 4, 1, 'per-image');
    expect(Array.from(flat)).toEqual([0, 0, 0, 0]);
  });

  it('dataset: per-channel statistics of the train split; scale: [0, 1]', () => {
    const split: ImageSplit = { images: Uint8Array.from([0, 10, 2, 30, 4, 50, 6, 70]), labels: new Int32Array(2), count: 2 };
    const stats = channelStats(split, 2);
    expect(stats.mean).toEqual([3, 40]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(5), 10);
    const pipeline = createPipeline(
      { name: 'x', shape: [1, 2, 2], classes: ['a', 'b'], train: split, test: split },
      { normalize: 'dataset' },
      1,
    );
    const [batch] = [...pipeline.testBatches(2)];
    expect(batch.images[0]).toBeCloseTo(-3 / Math.sqrt(5), 5);
    expect(batch.images[1]).toBeCloseTo(-30 / stats.std[1], 5);
    const scaled = Float32Array.from([0, 51, 255]);
    normalizeImage(scaled, 0, 3, 1, 'scale');
    expect(scaled[0]).toBe(0);
    expect(scaled[1]).toBeCloseTo(0.2, 6);
    expect(scaled[2]).toBe(1);
  });
});

describe('common data options', () => {
  it('classes keeps those classes relabelled in the given order, subset takes the first N', () => {
    const selected = applyCommonOptions(tinyDataset(9), { classes: [2, 0], subset: { train: 4 } });
    expect(selected.classes).toEqual(['c', 'a']);
    expect(Array.from(selected.train.labels)).toEqual([1, 0, 1, 0]);
    expect(Array.from(selected.train.images.filter((_, i) => i % 4 === 0))).toEqual([0, 20, 30, 50]);
    expect(selected.test.count).toBe(3);
  });

  it('resize changes the shape; bad classes and subsets are one-line errors', () => {
    const resized = applyCommonOptions(tinyDataset(2), { resize: [4, 4] });
    expect(resized.shape).toEqual([4, 4, 1]);
    expect(resized.train.images).toHaveLength(2 * 16);
    expect(Array.from(resized.train.images.subarray(0, 4))).toEqual([0, 0, 1, 1]);
    expect(() => applyCommonOptions(tinyDataset(2), { classes: [0, 3] })).toThrow(
      new AcafError('data.classes: class 3 is out of range for tiny (3 classes, 0..2)'),
    );
    expect(() => applyCommonOptions(tinyDataset(2), { subset: { train: 5 } })).toThrow(
      /data\.subset\.train: 5 is more than the 2 train images of tiny/,
    );
  });
});

describe('synthetic dataset', () => {
  it('is deterministic by seed, has the requested shape, and its classes are separable', async () => {
    const options = { type: 'synthetic', shape: [6, 5, 2], classCount: 3, train: 60, test: 30 };
    const a = await loadDataset(options, { cwd: '.', seed: 4 });
    const b = await loadDataset(options, { cwd: '.', seed: 4 });
    const c = await loadDataset(options, { cwd: '.', seed: 5 });
    expect(a.train.images).toEqual(b.train.images);
    expect(a.train.images).not.toEqual(c.train.images);
    expect(a.shape).toEqual([6, 5, 2]);
    expect(a.train.images).toHaveLength(60 * 60);
    // Nearest class mean of the training images classifies the test images: the class structure is learnable.
    const size = 60;
    const means = [0, 1, 2].map((label) => {
      const mean = new Float64Array(size);
      let n = 0;
      a.train.labels.forEach((l, i) => {
        if (l !== label) return;
        n++;
        for (let k = 0; k < size; k++) mean[k] += a.train.images[i * size + k];
      });
      return mean.map((v) => v / n);
    });
    let correct = 0;
    for (let i = 0; i < a.test.count; i++) {
      const distance = means.map((mean) => mean.reduce((sum, m, k) => sum + (m - a.test.images[i * size + k]) ** 2, 0));
      if (distance.indexOf(Math.min(...distance)) === a.test.labels[i]) correct++;
    }
    expect(correct / a.test.count).toBeGreaterThan(0.9);
  });
});
