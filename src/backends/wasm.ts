import * as os from 'node:os';
import { missingTrainingKernels, startWasmTraining } from 'tfjs-wasm-training';
import { AcafError } from '../errors';
import { backends } from '../registry';

/** Threads for XNNPACK: ACAF_WASM_THREADS, else 2 (the peer PyTorch measurement's count), at most the core count. */
export function wasmThreadCount(): { threads: number; source: 'ACAF_WASM_THREADS' | 'default' } {
  const requested = process.env.ACAF_WASM_THREADS;
  if (requested === undefined || requested === '') return { threads: Math.min(2, os.cpus().length), source: 'default' };
  const threads = Number(requested);
  if (!Number.isInteger(threads) || threads < 1) throw new AcafError(`ACAF_WASM_THREADS must be a whole number >= 1, got '${requested}'`);
  return { threads, source: 'ACAF_WASM_THREADS' };
}

/**
 * tfjs-backend-wasm 4.22 cannot train convolutional networks by itself; the workspace package tfjs-wasm-training
 * (packages/tfjs-wasm-training) registers the kernels it lacks, faster ones of its own and its threads.
 */
backends.register({
  name: 'wasm',
  description: 'WebAssembly (XNNPACK, SIMD), bundled: no native install needed',
  options: {},
  build: () => ({
    name: 'wasm',
    async activate() {
      const threads = await startWasmTraining({ threads: wasmThreadCount().threads, userError: (message) => new AcafError(message) });
      return `${threads} thread${threads === 1 ? '' : 's'}`;
    },
    cannotTrainReason() {
      const missing = missingTrainingKernels();
      return missing.length ? `wasm lacks training kernels: ${missing.join(', ')}` : undefined;
    },
  }),
});
