/**
 * The conventions every fuzz test (test/fuzz-*.test.ts) shares, so that CI runs a bounded number of cases and
 * `npm run fuzz` runs many more:
 * - `fuzzRuns(n)`: the cases per property, `n` in CI, or `ACAF_FUZZ_RUNS` when set (`npm run fuzz` sets 5000);
 * - `ACAF_FUZZ_SEED` replays one failing run (fast-check prints the seed and path of a failure);
 * - `mutatedBytes(file)`: a genuine file damaged the ways hostile input is: truncated, bit-flipped, or with
 *   four bytes at a random offset (a length or count field) set to an extreme value;
 * - `expectOneLineError(error, file)`: the only acceptable failure: an AcafError whose message is one line
 *   naming the file (never an internal TypeError, RangeError, or a native crash).
 * Regression seeds found by fuzzing are kept as plain test cases next to the property that found them.
 */
import fc from 'fast-check';
import type { ImageClassificationDataset } from '../../src/data/types';
import { AcafError } from '../../src/errors';

/** Cases per property: `ciRuns` unless `ACAF_FUZZ_RUNS` asks for more (or fewer). */
export function fuzzRuns(ciRuns: number): number {
  const requested = Number(process.env.ACAF_FUZZ_RUNS);
  return Number.isInteger(requested) && requested > 0 ? requested : ciRuns;
}

/** fast-check parameters for one property: the run count above and, to replay a failure, `ACAF_FUZZ_SEED`. */
export function fuzzParameters<T>(ciRuns: number): fc.Parameters<T> {
  const seed = Number(process.env.ACAF_FUZZ_SEED);
  return { numRuns: fuzzRuns(ciRuns), ...(Number.isInteger(seed) ? { seed } : {}) };
}

/** Jest timeout for a fuzz test: generous per case, so a long `npm run fuzz` is not cut short. */
export function fuzzTimeoutMs(ciRuns: number, msPerCase = 200): number {
  return Math.max(60_000, fuzzRuns(ciRuns) * msPerCase);
}

/** Values a hostile length or count field takes: zero, one, sign bit, all ones, and around 2^31. */
const EXTREME_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x40000000, 0x00ffffff];

export type Mutation =
  | { kind: 'truncate'; length: number }
  | { kind: 'flip'; offset: number; bit: number }
  | { kind: 'extreme'; offset: number; value: number; littleEndian: boolean };

/** A damage to a file of `size` bytes; offsets are drawn as fractions so one arbitrary fits every file. */
export function mutationArbitrary(size: number): fc.Arbitrary<Mutation> {
  const offset = (room: number) => fc.nat({ max: Math.max(0, size - room) });
  return fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat({ max: Math.max(0, size - 1) }) }),
    fc.record({ kind: fc.constant('flip' as const), offset: offset(1), bit: fc.nat({ max: 7 }) }),
    fc.record({
      kind: fc.constant('extreme' as const),
      offset: offset(4),
      value: fc.constantFrom(...EXTREME_U32),
      littleEndian: fc.boolean(),
    }),
  );
}

/** The file's bytes with one mutation applied (a copy; `bytes` is unchanged). */
export function applyMutation(bytes: Uint8Array, mutation: Mutation): Buffer {
  const copy = Buffer.from(bytes);
  switch (mutation.kind) {
    case 'truncate':
      return copy.subarray(0, mutation.length);
    case 'flip':
      if (mutation.offset < copy.length) copy[mutation.offset] ^= 1 << mutation.bit;
      return copy;
    case 'extreme':
      if (mutation.offset + 4 > copy.length) return copy;
      if (mutation.littleEndian) copy.writeUInt32LE(mutation.value, mutation.offset);
      else copy.writeUInt32BE(mutation.value, mutation.offset);
      return copy;
  }
}

/** Several mutations applied in turn: most bugs need one, some need a truncation after a changed length. */
export function mutatedBytes(bytes: Uint8Array): fc.Arbitrary<{ mutations: Mutation[]; bytes: Buffer }> {
  return fc
    .array(mutationArbitrary(bytes.length), { minLength: 1, maxLength: 3 })
    .map((mutations) => ({ mutations, bytes: mutations.reduce<Buffer>((current, m) => applyMutation(current, m), Buffer.from(bytes)) }));
}

/**
 * The failure a user may see: an AcafError (ConfigError included) of one line that names `file` (its path or
 * base name), or one of `alsoNamed` (say the dataset's folder, for a problem of the dataset as a whole). Anything
 * else is rethrown so fast-check reports it with its seed.
 */
export function expectOneLineError(error: unknown, file: string, alsoNamed: string[] = []): void {
  if (!(error instanceof AcafError)) throw error;
  const lines = error.message.split('\n');
  if (lines.length !== 1) throw new Error(`error is ${lines.length} lines, not one: ${error.message}`);
  const base = file.split(/[\\/]/).pop() ?? file;
  if (![file, base, ...alsoNamed].some((name) => error.message.includes(name)))
    throw new Error(`error does not name ${file}: ${error.message}`);
}

/** Runs `read` and accepts a result checked by `check`, or a one-line error naming `file` (or one of `alsoNamed`). */
export async function expectResultOrOneLineError<T>(
  file: string,
  read: () => T | Promise<T>,
  check: (result: T) => void = () => {},
  alsoNamed: string[] = [],
) {
  let result: T;
  try {
    result = await read();
  } catch (error) {
    expectOneLineError(error, file, alsoNamed);
    return;
  }
  check(result);
}

/** Every split's arrays agree with its count and the dataset's shape, and every label names a class. */
export function expectWellFormedDataset(dataset: ImageClassificationDataset): void {
  const imageSize = dataset.shape.reduce((a, b) => a * b, 1);
  for (const split of [dataset.train, dataset.test]) {
    expect(split.images).toHaveLength(split.count * imageSize);
    expect(split.labels).toHaveLength(split.count);
    for (const label of split.labels) expect(label >= 0 && label < dataset.classes.length).toBe(true);
  }
}
