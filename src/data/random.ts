/**
 * Small seeded generators for shuffling and augmentation. Each (seed, epoch, purpose) gets its own stream, so an
 * epoch's batches do not depend on what ran before it.
 */

/** A function returning uniform floats in [0, 1). */
export type Random = () => number;

/** Mixes integers into one 32-bit seed (murmur3's finaliser on a running hash). */
function mix(keys: number[]): number {
  let hash = 0x9e3779b9;
  for (const key of keys) {
    hash = Math.imul(hash ^ (key >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/** mulberry32 seeded from the keys, e.g. `createRandom(seed, epoch, STREAM_SHUFFLE)`. */
export function createRandom(...keys: number[]): Random {
  let state = mix(keys);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** A Fisher-Yates shuffled permutation of 0..n-1. */
export function permutation(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

/** Stream ids, so shuffling and augmentation of the same epoch draw independent numbers. */
export const STREAM = { shuffle: 1, augment: 2, synthetic: 3 } as const;
