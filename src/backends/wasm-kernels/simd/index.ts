import { CHANNEL_KERNELS_WAT } from './channel-kernels-wat';
import { MATRIX_BLOCKS_WAT } from './matrix-blocks-wat';
import { MAX_POOL_GRAD_WAT } from './max-pool-grad-wat';
import { TRANSPOSE_WAT } from './transpose-wat';

/**
 * acaf's own WebAssembly SIMD kernels for memory-bound work that tfjs-backend-wasm does slowly and that JavaScript
 * loops over its heap do at 1-5 ns per value. They are written in WebAssembly text (./*-wat.ts), compiled on first
 * use with wabt (loaded when the wasm backend activates), and instantiated on tfjs-backend-wasm's own memory
 * (imported, so they read and write its tensors in place and see it grow). They run on the calling thread.
 */
export interface SimdKernels {
  /** dst[c * outStride + r] = src[r * inStride + c] for r < rows, c < columns (float32; byte addresses). */
  transpose(src: number, dst: number, rows: number, columns: number, inStride: number, outStride: number): void;
  /** dst[r * dstStride + c] = src[r * srcStride + c] (copyBlock) or += (addBlock), for r < rows, c < columns. */
  copyBlock(src: number, srcStride: number, dst: number, dstStride: number, rows: number, columns: number): void;
  addBlock(src: number, srcStride: number, dst: number, dstStride: number, rows: number, columns: number): void;
  /**
   * Per channel c of [rows, columns] float32 matrices (byte addresses), sums over the rows in float64, / divisor:
   * out[c] = sum of x; sum of (x - mean)^2; sum of dy and sum of dy * (x - mean). `sums`: float64 scratch, one value
   * per channel and sum (see reductionScratchBytes).
   */
  columnSums(x: number, out: number, sums: number, rows: number, columns: number, divisor: number): void;
  centeredSquareSums(x: number, mean: number, out: number, sums: number, rows: number, columns: number, divisor: number): void;
  gradientSums(
    dy: number,
    x: number,
    mean: number,
    dySums: number,
    dotSums: number,
    sums: number,
    rows: number,
    columns: number,
    divisor: number,
  ): void;
  /**
   * The gradient of max pooling, exactly as the cpu backend computes it (NHWC float32; `sums`: float64 scratch of
   * x's size). See ./max-pool-grad-wat.
   */
  maxPoolGrad(
    x: number,
    dy: number,
    sums: number,
    dx: number,
    ...geometry: [
      batch: number,
      inHeight: number,
      inWidth: number,
      channels: number,
      outHeight: number,
      outWidth: number,
      strideHeight: number,
      strideWidth: number,
      filterHeight: number,
      filterWidth: number,
      padTop: number,
      padLeft: number,
    ]
  ): void;
  /** Elementwise, with per-channel vectors: out = x * scale + shift. */
  scaleShift(x: number, scale: number, shift: number, out: number, rows: number, columns: number): void;
  /** out = dy * dyScale + (x - mean) * centeredScale + shift: batch normalisation's input gradient. */
  normalizationInputGradient(
    dy: number,
    x: number,
    dyScale: number,
    mean: number,
    centeredScale: number,
    shift: number,
    out: number,
    rows: number,
    columns: number,
  ): void;
}

const FUNCTIONS = [TRANSPOSE_WAT, MATRIX_BLOCKS_WAT, CHANNEL_KERNELS_WAT, MAX_POOL_GRAD_WAT];

/** The module, importing a memory declared as the threaded build's (shared) or the single-threaded build's. */
function moduleText(shared: boolean): string {
  const memory = shared ? '(memory 1 65536 shared)' : '(memory 1)';
  return `(module (import "env" "memory" ${memory}) ${FUNCTIONS.join('\n')})`;
}

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabt: Wabt | undefined;
const compiled = new Map<boolean, WebAssembly.Module>();
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

/**
 * Loads the WebAssembly text compiler (once): it loads asynchronously, so the wasm backend's activation awaits it;
 * the kernels then compile on first use, for the memory the backend has (shared or not).
 */
export async function prepareSimdKernels(): Promise<void> {
  // Loaded here, not at import: only wasm activation needs it.
  wabt ??= await (require('wabt') as typeof import('wabt'))();
}

/** The kernels compiled for a shared or a plain memory (once each; about 15 ms). */
function compiledModule(wabt: Wabt, shared: boolean): WebAssembly.Module {
  let module = compiled.get(shared);
  if (!module) {
    const parsed = wabt.parseWat('acaf-simd-kernels.wat', moduleText(shared), { simd: true, threads: true, bulk_memory: true });
    try {
      module = new WebAssembly.Module(parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
    compiled.set(shared, module);
  }
  return module;
}

/** The part of tfjs-backend-wasm's BackendWasm that holds its Emscripten module. */
interface WasmModuleHolder {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** The kernels on `backend`'s memory (a tfjs-backend-wasm BackendWasm). */
export function simdKernels(backend: unknown): SimdKernels {
  const module = (backend as WasmModuleHolder).wasm;
  // The threaded build creates its memory and keeps it as wasmMemory; the other build exports it.
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!wabt || !memory)
    throw new Error("acaf's wasm SIMD kernels are not ready: activate the wasm backend through acaf (prepareSimdKernels)");
  let kernels = instances.get(memory);
  if (!kernels) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(compiledModule(wabt, shared), { env: { memory } });
    kernels = instance.exports as unknown as SimdKernels;
    instances.set(memory, kernels);
  }
  return kernels;
}
