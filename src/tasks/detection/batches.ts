import { createRandom, permutation, STREAM } from '../../data/random';
import { augmentDetection, DetectionAugmentOptions } from '../../detection/augment';
import type { DetectionSample } from '../../detection/types';
import type { LoadedSplit } from '../../detection/datasets/types';
import type { GroundTruthBatch } from '../../detection/heads/types';
import { letterbox, LetterboxTransform } from '../../detection/letterbox';
import type { DetectionImage } from '../../detection/types';

/** One batch: letterboxed images scaled to [0, 1] (NHWC) and their boxes in input pixels. */
export interface DetectionBatch {
  images: Float32Array;
  size: number;
  truth: GroundTruthBatch;
  /** Per image: where it came from and how to map input pixels back to its own. */
  sources: { image: DetectionImage; transform: LetterboxTransform }[];
}

/** Grey padding, as darknet letterboxes. */
const FILL: [number, number, number] = [127, 127, 127];

function toBatch(
  split: LoadedSplit,
  indices: ArrayLike<number>,
  prepare: (sample: DetectionSample) => { sample: DetectionSample; transform: LetterboxTransform },
): DetectionBatch {
  const prepared = Array.from(indices, (index) => ({ index, ...prepare(split.samples[index]) }));
  const pixels = prepared.map(({ sample }) => sample.image.pixels);
  const images = new Float32Array(pixels.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of pixels) {
    for (let i = 0; i < p.length; i++) images[offset + i] = p[i] / 255;
    offset += p.length;
  }
  return {
    images,
    size: prepared.length,
    truth: {
      boxes: prepared.map(({ sample }) => sample.annotations.boxes),
      labels: prepared.map(({ sample }) => sample.annotations.labels),
    },
    sources: prepared.map(({ index, transform }) => ({ image: split.dataset.images[index], transform })),
  };
}

/** Epoch `epoch`'s shuffled, augmented batches; they depend only on (seed, epoch), so a resumed run replays them. */
export function* trainBatches(
  split: LoadedSplit,
  batchSize: number,
  seed: number,
  epoch: number,
  augment: DetectionAugmentOptions,
): Iterable<DetectionBatch> {
  const order = permutation(split.samples.length, createRandom(seed, epoch, STREAM.shuffle));
  const random = createRandom(seed, epoch, STREAM.augment);
  for (let start = 0; start + batchSize <= order.length; start += batchSize) {
    yield toBatch(split, order.subarray(start, start + batchSize), (sample) => augmentDetection(sample, random, augment));
  }
}

/** The split in order, letterboxed, no augmentation. */
export function* testBatches(split: LoadedSplit, batchSize: number, inputSize: number): Iterable<DetectionBatch> {
  for (let start = 0; start < split.samples.length; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.samples.length - start) }, (_, i) => start + i);
    yield toBatch(split, indices, (sample) => letterbox(sample, inputSize, FILL));
  }
}

export { FILL as LETTERBOX_FILL };
