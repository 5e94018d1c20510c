/**
 * What ran a measurement: the one place where `acaf bench` reads the active backend's threads and kernels (for the
 * wasm and onednn backends, tfjs-wasm-training's kernel report: the kernel sources in use, e.g. its SIMD kernel pack
 * and the native oneDNN kernels, and which native implementations ran).
 */
import type { KernelReport } from 'tfjs-wasm-training';
import type { BackendSelection } from '../backends';

export interface BackendReport {
  /** Threads the backend computes with, where it says (wasm: "2 threads, ..."). */
  threads?: number;
  /** Where the kernels come from, besides the backend's own, in registration order (later ones replace earlier). */
  kernelSources: string[];
  /** wasm, onednn: the native kernels' version and the implementations that ran, or why there are none. */
  nativeKernels?: string;
}

/** "oneDNN 2.6.3: brgconv:avx512_core, jit:avx512_core", or "not in use: <why>". */
export function describeNativeKernels(native: KernelReport['native']): string {
  if (!('version' in native)) return `not in use: ${native.unused}`;
  const implementations = [...new Set(Object.values(native.implementations).flat())];
  return implementations.length ? `${native.version}: ${implementations.join(', ')}` : native.version;
}

/** Call in the measuring process after the measured steps (the native implementations are known once they ran). */
export function backendReport(selection: BackendSelection): BackendReport {
  const threads = /^(\d+) threads?\b/.exec(selection.detail ?? '');
  const report: BackendReport = { threads: threads ? Number(threads[1]) : undefined, kernelSources: [] };
  const kernels = selection.kernels?.() as Partial<KernelReport> | undefined;
  if (!kernels?.sources || !kernels.native) return report;
  return { ...report, kernelSources: kernels.sources, nativeKernels: describeNativeKernels(kernels.native) };
}
