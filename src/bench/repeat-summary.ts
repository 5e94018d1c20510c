/**
 * `acaf bench --repeat N`: the measurements of every round, and per network and backend their median and range.
 * acaf's ratio to PyTorch is taken within a round (both measured minutes apart) and then summarised, so that a load
 * drift between rounds moves both sides of each ratio.
 */

/** One measurement of one network on one backend (an acaf backend or the PyTorch peer) in one round. */
export interface Measurement {
  /** 1-based. */
  round: number;
  network: string;
  backend: string;
  /** Whether this is the PyTorch peer's measurement, the denominator of acaf's ratios. */
  peer: boolean;
  batch: number;
  /** Training throughput; absent when the measurement failed (`note` says why). */
  imagesPerSecond?: number;
  msPerStep?: number;
  evalBatch?: number;
  evalImagesPerSecond?: number;
  peakMemoryMB?: number;
  threads?: number;
  kernelSources: string[];
  /** wasm: the native kernels' version and implementations that ran, or why none were in use. */
  nativeKernels?: string;
  note: string;
}

/** The median of a set of values and its range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  count: number;
}

/** The middle value, or the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  if (!values.length) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The spread of the values that are defined; undefined when there are none. */
export function spread(values: readonly (number | undefined)[]): Spread | undefined {
  const present = values.filter((value): value is number => value !== undefined);
  if (!present.length) return undefined;
  return { median: median(present), min: Math.min(...present), max: Math.max(...present), count: present.length };
}

/** An acaf measurement's training throughput over the PyTorch peer's for the same network in the same round. */
export function ratioToPeer(measurement: Measurement, all: readonly Measurement[]): number | undefined {
  if (measurement.peer || measurement.imagesPerSecond === undefined) return undefined;
  const peer = all.find((other) => other.peer && other.network === measurement.network && other.round === measurement.round);
  return peer?.imagesPerSecond === undefined ? undefined : measurement.imagesPerSecond / peer.imagesPerSecond;
}

/** Evaluation throughput over training throughput of one measurement (the target is at least 3). */
export function evalPerTrain(measurement: Measurement): number | undefined {
  const { imagesPerSecond, evalImagesPerSecond } = measurement;
  return imagesPerSecond === undefined || evalImagesPerSecond === undefined ? undefined : evalImagesPerSecond / imagesPerSecond;
}

/** One network on one backend over every round. */
export interface BenchSummary {
  network: string;
  backend: string;
  peer: boolean;
  batch: number;
  evalBatch?: number;
  imagesPerSecond?: Spread;
  evalImagesPerSecond?: Spread;
  evalPerTrain?: Spread;
  /** acaf backends only: ratioToPeer of each round. */
  ratioToPeer?: Spread;
  /** The largest of the rounds' peaks. */
  peakMemoryMB?: number;
  /** As the first round that measured anything reported them. */
  threads?: number;
  kernelSources: string[];
  nativeKernels?: string;
  /** The rounds' notes, each once. */
  note: string;
}

/** Per network and backend, in the order they were first measured. */
export function summarize(measurements: readonly Measurement[]): BenchSummary[] {
  const groups = new Map<string, Measurement[]>();
  for (const measurement of measurements) {
    const key = JSON.stringify([measurement.network, measurement.backend]);
    groups.set(key, [...(groups.get(key) ?? []), measurement]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group;
    const measured = group.find((measurement) => measurement.imagesPerSecond !== undefined) ?? first;
    const peaks = group.map((measurement) => measurement.peakMemoryMB).filter((peak): peak is number => peak !== undefined);
    return {
      network: first.network,
      backend: first.backend,
      peer: first.peer,
      batch: first.batch,
      evalBatch: first.evalBatch,
      imagesPerSecond: spread(group.map((measurement) => measurement.imagesPerSecond)),
      evalImagesPerSecond: spread(group.map((measurement) => measurement.evalImagesPerSecond)),
      evalPerTrain: spread(group.map(evalPerTrain)),
      ratioToPeer: first.peer ? undefined : spread(group.map((measurement) => ratioToPeer(measurement, measurements))),
      peakMemoryMB: peaks.length ? Math.max(...peaks) : undefined,
      threads: measured.threads,
      kernelSources: measured.kernelSources,
      nativeKernels: measured.nativeKernels,
      note: [...new Set(group.map((measurement) => measurement.note).filter(Boolean))].join('; '),
    };
  });
}
