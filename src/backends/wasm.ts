import * as os from 'node:os';
import { kernelReport, missingTrainingKernels, startWasmTraining } from 'tfjs-wasm-training';
import { AcafError } from '../errors';
import { backends } from '../registry';
import { BackendSettingError } from './types';

/** Threads for XNNPACK: ACAF_WASM_THREADS, else 2 (the peer PyTorch measurement's count), at most the core count. */
export function wasmThreadCount(): { threads: number; source: 'ACAF_WASM_THREADS' | 'default' } {
  const requested = process.env.ACAF_WASM_THREADS;
  if (requested === undefined || requested === '') return { threads: Math.min(2, os.cpus().length), source: 'default' };
  const threads = Number(requested);
  if (!Number.isInteger(threads) || threads < 1)
    throw new BackendSettingError(`ACAF_WASM_THREADS must be a whole number >= 1, got '${requested}'`);
  return { threads, source: 'ACAF_WASM_THREADS' };
}

/** The native oneDNN kernels are used where they were built at install, unless ACAF_WASM_NATIVE=0. */
export function wasmNativeKernelsWanted(): boolean {
  const setting = process.env.ACAF_WASM_NATIVE;
  if (setting === undefined || setting === '' || setting === '1') return true;
  if (setting === '0') return false;
  throw new BackendSettingError(`ACAF_WASM_NATIVE must be 0 (wasm kernels only) or 1 (native kernels where built), got '${setting}'`);
}

/** One line on the kernels in use: 'wasm-simd + onednn (oneDNN 2.6.3)' or why there are no native ones. */
function kernelsLine(): string {
  const { sources, native } = kernelReport();
  return 'version' in native ? `kernels ${sources.join(' + ')} (${native.version})` : `wasm kernels only: ${native.unused}`;
}

/**
 * tfjs-backend-wasm 4.22 cannot train convolutional networks by itself; the workspace package tfjs-wasm-training
 * (packages/tfjs-wasm-training) registers the kernels it lacks, faster ones of its own, native oneDNN ones where
 * built, and its threads.
 */
backends.register({
  name: 'wasm',
  description: 'WebAssembly (XNNPACK, SIMD), bundled; native oneDNN kernels where libdnnl-dev was installed',
  options: {},
  build: () => ({
    name: 'wasm',
    async activate() {
      const threads = await startWasmTraining({
        threads: wasmThreadCount().threads,
        native: wasmNativeKernelsWanted(),
        userError: (message) => new AcafError(message),
      });
      return `${threads} thread${threads === 1 ? '' : 's'}, ${kernelsLine()}`;
    },
    kernelReport,
    cannotTrainReason() {
      const missing = missingTrainingKernels();
      return missing.length ? `wasm lacks training kernels: ${missing.join(', ')}` : undefined;
    },
  }),
});
