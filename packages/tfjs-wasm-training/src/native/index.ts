import type { KernelSource } from '../kernel-sources';
import { loadAddon } from './addon';
import { concatKernels } from './concat';
import { convolutionKernels } from './convolution';
import { elementwiseKernels } from './elementwise';
import { lrnKernels } from './lrn';
import { matMulKernels } from './matmul';
import { nativeRuns, wasmNativeConfig, type NativeKernel } from './native-call';
import { normalizationKernels } from './normalization';
import { optimizerUpdateKernels } from './optimizer-updates';
import { poolingKernels } from './pooling';
import { reductionKernels } from './reduction';

/**
 * The kernel source 'onednn': convolutions and their gradients and matrix products by oneDNN (the CPU library under
 * PyTorch and TensorFlow), and memory-bound passes in native loops, through a native addon built at install time
 * where oneDNN is installed (scripts/build-native.js). It works in place on tfjs-backend-wasm's heap; where it is
 * absent, nothing changes.
 */
export function oneDnnKernels(): KernelSource | { unavailable: string } {
  const kernels = nativeKernels();
  if ('unavailable' in kernels) return kernels;
  source ??= { name: 'onednn', kernels: kernels.map(wasmNativeConfig) };
  return source;
}

/** The native kernels, for any backend (see NativeKernel), or why there are none. */
export function nativeKernels(): NativeKernel[] | { unavailable: string } {
  const loaded = loadAddon();
  if ('reason' in loaded) return { unavailable: loaded.reason };
  const { addon } = loaded;
  return [
    ...convolutionKernels(addon),
    ...matMulKernels(addon),
    ...lrnKernels(addon),
    ...concatKernels(addon),
    ...elementwiseKernels(addon),
    ...normalizationKernels(addon),
    ...poolingKernels(addon),
    ...reductionKernels(addon),
    ...optimizerUpdateKernels(addon),
  ];
}

let source: KernelSource | undefined;

/** What the native kernels did so far: oneDNN's version, the implementations it chose, runs per kernel. */
export interface NativeKernelReport {
  version: string;
  implementations: Record<string, string[]>;
  runs: Record<string, { native: number; passedOn: number }>;
}

export function nativeKernelReport(): NativeKernelReport | undefined {
  const loaded = loadAddon();
  if ('reason' in loaded) return undefined;
  return { version: loaded.addon.version(), implementations: loaded.addon.implementations(), runs: nativeRuns() };
}

export function setNativeThreads(threads: number): void {
  const loaded = loadAddon();
  if ('addon' in loaded) loaded.addon.setThreads(threads);
}
