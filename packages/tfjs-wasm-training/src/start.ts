import * as tf from '@tensorflow/tfjs';
import { brokenInternals, internalsReport, type InternalEntry } from './internals';
import { kernelSources, registerKernelSource, registerKernelSources } from './kernel-sources';
import { WASM_SIMD_KERNELS } from './kernels';
import { nativeKernelReport, oneDnnKernels, setNativeThreads, type NativeKernelReport } from './native';
import { startWasmBackend } from './threads';
import { failOnXnnpackErrors } from './xnnpack-failures';

// The package's own source comes first: sources added later replace its kernels of the same name.
registerKernelSource(WASM_SIMD_KERNELS);

/** A failure a user can act on (a changed tfjs-backend-wasm, XNNPACK out of memory): its message is one line. */
export class WasmTrainingError extends Error {
  override name = 'WasmTrainingError';
}

export interface StartOptions {
  /** XNNPACK's threads: 1, or more for tfjs-backend-wasm's threaded build (falls back to 1 if it does not start). */
  threads: number;
  /** Makes the errors a user can act on (default: WasmTrainingError), e.g. an application's one-line error type. */
  userError?: (message: string) => Error;
  /** The internals to check (default: TFJS_WASM_INTERNALS); tests pass a changed copy. */
  manifest?: readonly InternalEntry[];
  /**
   * Whether to use the native oneDNN kernels where they were built at install (default true). Decided at the first
   * start in a process: the kernels registered then stay.
   */
  native?: boolean;
}

/** Why the native kernels are not in use (not asked for, not built, failed to load), once startWasmTraining has run. */
let nativeUnused: string | undefined;

/**
 * Makes tfjs-backend-wasm train: loads it, checks the internals of the manifest, registers every kernel source, turns
 * XNNPACK's failure reports into errors, and starts it as the active backend. Returns the thread count in use.
 */
export async function startWasmTraining({
  threads,
  userError = (message) => new WasmTrainingError(message),
  manifest,
  native = true,
}: StartOptions): Promise<number> {
  require('@tensorflow/tfjs-backend-wasm');
  const check = (stage: 'loaded' | 'started', threaded = false) => {
    const report = internalsReport(brokenInternals(stage, { manifest, threaded }));
    if (report) throw userError(report);
  };
  check('loaded');
  if (nativeUnused === undefined && !kernelSources().some(({ name }) => name === 'onednn')) {
    const source = native ? oneDnnKernels() : { unavailable: 'native kernels turned off' };
    if ('unavailable' in source) nativeUnused = source.unavailable;
    else registerKernelSource(source);
  }
  registerKernelSources();
  failOnXnnpackErrors(userError);
  const nativeInUse = kernelSources().some(({ name }) => name === 'onednn');
  // With native kernels, the threads go to them (OpenMP) and the wasm module runs one: the two thread pools each
  // spin-wait between their kernels, and on a machine with as many cores as threads they take turns stalling
  // each other (a ResNet-50 step 2.3x slower with both at two threads, measured here).
  const started = await startWasmBackend(nativeInUse ? 1 : threads).catch((error: Error) => {
    throw userError(error.message);
  });
  if (tf.getBackend() !== 'wasm') throw userError('tfjs-wasm-training: the wasm backend did not become the active backend');
  check('started', started > 1);
  if (!nativeInUse) return started;
  setNativeThreads(threads);
  return threads;
}

/** The kernel sources in use, and what the native kernels did so far (or why none are in use). */
export interface KernelReport {
  sources: string[];
  native: NativeKernelReport | { unused: string };
}

export function kernelReport(): KernelReport {
  const sources = kernelSources().map(({ name }) => name);
  const native = sources.includes('onednn') ? nativeKernelReport() : undefined;
  return { sources, native: native ?? { unused: nativeUnused ?? 'startWasmTraining has not run' } };
}

/** Kernels that training needs and tfjs-backend-wasm 4.22 does not register by itself. */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'];

/** The training kernels the wasm backend still lacks (none once startWasmTraining has run). */
export function missingTrainingKernels(): string[] {
  return WASM_TRAINING_KERNELS.filter((kernel) => !tf.getKernel(kernel, 'wasm'));
}
