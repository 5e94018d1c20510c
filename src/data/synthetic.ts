import { datasets } from '../registry';
import { createRandom, permutation, Random, STREAM } from './random';
import type { ImageClassificationDataset, ImageSplit } from './types';

type SyntheticOptions = {
  type: string;
  shape: [number, number, number];
  classCount: number;
  train: number;
  test: number;
  noise: number;
  seed?: number;
};

datasets.register<SyntheticOptions>({
  name: 'synthetic',
  description: 'generated images of any shape: one smooth random pattern per class plus noise (tests, benchmarks)',
  options: {
    shape: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 3, maxItems: 3, default: [16, 16, 3], description: '[height, width, channels]' },
    classCount: { type: 'integer', minimum: 2, default: 4, description: 'number of classes' },
    train: { type: 'integer', minimum: 1, default: 512, description: 'training images' },
    test: { type: 'integer', minimum: 1, default: 128, description: 'test images' },
    noise: { type: 'number', minimum: 0, default: 40, description: 'per-pixel uniform noise amplitude, in pixel units' },
    seed: { type: 'integer', minimum: 0, description: 'fixes the data whatever the run seed; default: the run seed' },
  },
  geometry: (options) => ({ shape: options.shape as [number, number, number], classes: options.classCount as number }),
  build: async (options, context) => makeSyntheticDataset(options, options.seed ?? context.seed),
});

/** Class patterns are sinusoids with random frequency and phase per channel, so classes differ in shape, not just colour. */
export function makeSyntheticDataset(options: Omit<SyntheticOptions, 'type' | 'seed'>, seed: number): ImageClassificationDataset {
  const [height, width, channels] = options.shape;
  const random = createRandom(seed, STREAM.synthetic);
  const patterns = Array.from({ length: options.classCount }, () => classPattern(random, height, width, channels));
  const split = (count: number): ImageSplit => {
    const labels = Int32Array.from(permutation(count, random), (index) => index % options.classCount);
    const pixelsPerImage = height * width * channels;
    const images = new Uint8Array(count * pixelsPerImage);
    for (let item = 0; item < count; item++) {
      const pattern = patterns[labels[item]];
      for (let i = 0; i < pixelsPerImage; i++) {
        const value = pattern[i] + (random() * 2 - 1) * options.noise;
        images[item * pixelsPerImage + i] = Math.min(255, Math.max(0, Math.round(value)));
      }
    }
    return { images, labels, count };
  };
  return {
    name: 'synthetic',
    shape: [height, width, channels],
    classes: patterns.map((_, index) => `class ${index}`),
    train: split(options.train),
    test: split(options.test),
  };
}

function classPattern(random: Random, height: number, width: number, channels: number): Float32Array {
  const pattern = new Float32Array(height * width * channels);
  for (let c = 0; c < channels; c++) {
    const fy = (random() * 2 - 1) * Math.PI * 2 / height;
    const fx = (random() * 2 - 1) * Math.PI * 2 / width;
    const phase = random() * Math.PI * 2;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) pattern[(y * width + x) * channels + c] = 128 + 90 * Math.sin(fy * y * 2 + fx * x * 2 + phase);
    }
  }
  return pattern;
}
