import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TensorArgument } from './native-call';

/** A number (a size, a setting) or a tensor. */
type Argument = number | TensorArgument;

/**
 * The native addon's functions (native/src/addon.cc). Kernels take the heap, then numbers (sizes) and tensors (byte
 * offsets in the heap, or Float32Arrays of their own): see NativeTensors in ./native-call.
 */
export interface OneDnnAddon {
  conv2dForward(heap: Float32Array, ...args: Argument[]): void;
  conv2dInputGradient(heap: Float32Array, ...args: Argument[]): void;
  conv2dFilterGradient(heap: Float32Array, ...args: Argument[]): void;
  conv2dForwardByColumns(heap: Float32Array, ...args: Argument[]): void;
  conv2dInputGradientByColumns(heap: Float32Array, ...args: Argument[]): void;
  conv2dFilterGradientByColumns(heap: Float32Array, ...args: Argument[]): void;
  matMul(heap: Float32Array, ...args: Argument[]): void;
  concatenate(heap: Float32Array, ...args: Argument[]): void;
  split(heap: Float32Array, ...args: Argument[]): void;
  lrnForward(heap: Float32Array, ...args: Argument[]): void;
  lrnGradient(heap: Float32Array, ...args: Argument[]): void;
  /** (heap, tensor, count): zeros. */
  fillZeros(heap: Float32Array, tensor: TensorArgument, count: number): void;
  relu(heap: Float32Array, ...args: Argument[]): void;
  reluGradient(heap: Float32Array, ...args: Argument[]): void;
  binary(heap: Float32Array, ...args: Argument[]): void;
  sgdUpdate(heap: Float32Array, ...args: Argument[]): void;
  momentumUpdate(heap: Float32Array, ...args: Argument[]): void;
  channelSums(heap: Float32Array, ...args: Argument[]): void;
  channelMoments(heap: Float32Array, ...args: Argument[]): void;
  normalizationGradientSums(heap: Float32Array, ...args: Argument[]): void;
  normalizationInputGradient(heap: Float32Array, ...args: Argument[]): void;
  batchNormTraining(heap: Float32Array, ...args: Argument[]): void;
  batchNormGradient(heap: Float32Array, ...args: Argument[]): void;
  batchNormInference(heap: Float32Array, ...args: Argument[]): void;
  maxPool(heap: Float32Array, ...args: Argument[]): void;
  maxPoolGrad(heap: Float32Array, ...args: Argument[]): void;
  setThreads(threads: number): void;
  /** {kernel: [oneDNN implementation, ...]} for the kernels run so far, e.g. {'Conv2D forward': ['brg:avx512_core']}. */
  implementations(): Record<string, string[]>;
  /** e.g. 'oneDNN 2.6.3'. */
  version(): string;
}

/** Where the install step (scripts/build-native.js) puts the addon, from dist/native/ or src/native/. */
export const ADDON_PATH = path.resolve(__dirname, '../../native/build/Release/onednn_kernels.node');
/** Written by the install step when it did not build the addon: why, in one line. */
export const NOT_BUILT_PATH = path.resolve(__dirname, '../../native/build/not-built.txt');

let loaded: { addon: OneDnnAddon } | { reason: string } | undefined;

/** The addon, or why there is none (not built at install: no oneDNN; or it failed to load). */
export function loadAddon(): { addon: OneDnnAddon } | { reason: string } {
  loaded ??= tryLoad();
  return loaded;
}

function tryLoad(): { addon: OneDnnAddon } | { reason: string } {
  if (!fs.existsSync(ADDON_PATH)) {
    const why = fs.existsSync(NOT_BUILT_PATH) ? fs.readFileSync(NOT_BUILT_PATH, 'utf8').trim() : 'the install step did not run';
    return { reason: `native kernels not built (${why})` };
  }
  const spinning = keepThreadsSpinning();
  try {
    return { addon: require(ADDON_PATH) as OneDnnAddon };
  } catch (error) {
    return { reason: `native kernels failed to load: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    spinning.restore();
  }
}

/**
 * How many times an idle OpenMP thread polls for work before it sleeps (GNU OpenMP's GOMP_SPINCOUNT; its default,
 * 300,000, is a few milliseconds): about two seconds. A training step calls some two hundred parallel kernels with
 * JavaScript between them; a thread that went to sleep in such a gap takes 1-5 ms to wake on a virtual machine, and
 * every kernel waits for it (GoogLeNet: oneDNN's time per step 110-135 ms spinning against 112-177 ms sleeping, in
 * alternating runs; README, "Threads").
 */
export const SPIN_COUNT = 100_000_000;

/**
 * Sets GOMP_SPINCOUNT for the OpenMP runtime, which reads its settings once, when the addon loads it; unless the user
 * set OMP_WAIT_POLICY or GOMP_SPINCOUNT. `restore` removes it again so that child processes (a PyTorch peer, say) get
 * the user's environment.
 */
function keepThreadsSpinning(): { restore(): void } {
  if (process.env.OMP_WAIT_POLICY !== undefined || process.env.GOMP_SPINCOUNT !== undefined) return { restore: () => {} };
  process.env.GOMP_SPINCOUNT = String(SPIN_COUNT);
  return { restore: () => delete process.env.GOMP_SPINCOUNT };
}
