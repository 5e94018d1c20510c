import type * as tf from '@tensorflow/tfjs';

/**
 * For kernels that work on tfjs-backend-wasm's memory directly: tfjs-backend-wasm runs some memory-bound kernels
 * (Reverse, Tile, Slice, GatherV2) as loops that are several times slower than block copies over the same bytes.
 * Its tensors are plain arrays in the module's heap, so a kernel can read its inputs and write its output there, as
 * tfjs-backend-wasm's own JavaScript kernels do. Block copies (copyWithin, set) are fast from JavaScript; loops over
 * values are not (the threaded build's heap is shared memory, where V8 runs them at 1-5 ns per value), so those are
 * the pack's own SIMD kernels (./simd).
 */

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The part of tfjs-backend-wasm's BackendWasm such a kernel uses. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): HeapArray;
  disposeData(dataId: tf.DataId): void;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
}

export interface HeapKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** A kernel config for the wasm backend (every kernel of the package's sources, wasm and native, is made by this). */
export function heapKernelConfig(
  kernelName: string,
  kernelFunc: (args: HeapKernelArgs) => tf.TensorInfo | tf.TensorInfo[] | tf.Tensor,
): tf.KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/**
 * Allocates the output and returns it with views of it and of `inputs` in the heap. The views are taken after the
 * allocation, which may grow (and so move) the heap.
 */
export function heapOutput(
  backend: unknown,
  shape: number[],
  dtype: tf.DataType,
  inputs: tf.TensorInfo[],
): { output: tf.TensorInfo; outputValues: HeapArray; inputValues: HeapArray[] } {
  const {
    outputs: [output],
    outputValues: [outputValues],
    inputValues,
  } = heapOutputs(backend, [shape], dtype, inputs);
  return { output, outputValues, inputValues };
}

/** heapOutput for several outputs: all are allocated before any view is taken. */
export function heapOutputs(
  backend: unknown,
  shapes: number[][],
  dtype: tf.DataType,
  inputs: tf.TensorInfo[],
): { outputs: tf.TensorInfo[]; outputValues: HeapArray[]; inputValues: HeapArray[] } {
  const wasm = backend as WasmHeapBackend;
  const outputs = shapes.map((shape) => wasm.makeOutput(shape, dtype));
  const views = (infos: tf.TensorInfo[]) => infos.map((info) => wasm.typedArrayFromHeap(info));
  return { outputs, outputValues: views(outputs), inputValues: views(inputs) };
}

/** A tensor's byte address in tfjs-backend-wasm's memory (for the pack's SIMD kernels, ./simd). */
export function heapAddress(backend: unknown, dataId: tf.DataId): number {
  const data = (backend as WasmHeapBackend).dataIdMap.get(dataId);
  if (!data) throw new Error('tensor is not in the wasm backend');
  return data.memoryOffset;
}

/** Runs `use` with the address of `bytes` of scratch memory in the heap, freed afterwards. */
export function withHeapScratch<T>(backend: unknown, bytes: number, use: (address: number) => T): T {
  const wasm = backend as WasmHeapBackend;
  const scratch = wasm.makeOutput([Math.ceil(bytes / 4)], 'float32');
  try {
    return use(heapAddress(backend, scratch.dataId));
  } finally {
    wasm.disposeData(scratch.dataId);
  }
}

/** Row-major strides of `shape`, in elements. */
export function stridesOf(shape: number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1] * shape[axis + 1];
  return strides;
}

/** Advances row-major coordinates within `shape` by one (last axis fastest), wrapping to zeros after the end. */
export function advanceCoordinates(coordinates: number[], shape: number[]): void {
  for (let axis = shape.length - 1; axis >= 0 && ++coordinates[axis] === shape[axis]; axis--) coordinates[axis] = 0;
}
