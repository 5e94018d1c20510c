import * as fs from 'node:fs';
import * as path from 'node:path';
import { compiledFileName, type MemoryKind } from './module-text';

/** A pooling's geometry, in the order the max-pooling kernels (this one and the native one) read it. */
export type PoolGeometry = [
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
];

/**
 * The package's own WebAssembly SIMD kernels for memory-bound work that tfjs-backend-wasm does slowly and that
 * JavaScript loops over its heap do at 1-5 ns per value. They are written in WebAssembly text (./*-wat.ts), compiled
 * by the build (./module-text), and instantiated on first use on tfjs-backend-wasm's own memory (imported, so they
 * read and write its tensors in place and see it grow). They run on the calling thread.
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
  maxPoolGrad(x: number, dy: number, sums: number, dx: number, ...geometry: PoolGeometry): void;
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

/** The compiled modules, by the kind of memory they import (read and compiled once each, on first use). */
const compiled = new Map<MemoryKind, WebAssembly.Module>();
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

/** `npm run build` compiles the WebAssembly text into dist/simd/ (scripts/compile-wat.js): from src/ or dist/ alike. */
const COMPILED_DIR = path.resolve(__dirname, '..', '..', 'dist', 'simd');

function compiledModule(memory: MemoryKind): WebAssembly.Module {
  let module = compiled.get(memory);
  if (!module) {
    const file = path.join(COMPILED_DIR, compiledFileName(memory));
    if (!fs.existsSync(file)) throw new Error(`tfjs-wasm-training: ${file} is missing: build the package (npm run build)`);
    module = new WebAssembly.Module(fs.readFileSync(file));
    compiled.set(memory, module);
  }
  return module;
}

/** The part of tfjs-backend-wasm's BackendWasm that holds its Emscripten module. */
interface WasmModuleHolder {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** tfjs-backend-wasm's memory: the threaded build creates it and keeps it as wasmMemory; the other build exports it. */
export function wasmMemoryOf(backend: unknown): WebAssembly.Memory | undefined {
  const module = (backend as WasmModuleHolder).wasm;
  return module?.wasmMemory ?? module?.asm?.memory;
}

/** The kernels on `backend`'s memory (a tfjs-backend-wasm BackendWasm). */
export function simdKernels(backend: unknown): SimdKernels {
  const memory = wasmMemoryOf(backend);
  if (!memory) throw new Error('tfjs-wasm-training: the SIMD kernels need an initialised tfjs-backend-wasm backend');
  let kernels = instances.get(memory);
  if (!kernels) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(compiledModule(shared ? 'shared' : 'plain'), { env: { memory } });
    kernels = instance.exports as unknown as SimdKernels;
    instances.set(memory, kernels);
  }
  return kernels;
}
