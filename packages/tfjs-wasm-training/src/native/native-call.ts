import * as tf from '@tensorflow/tfjs';
import { heapAddress, heapKernelConfig, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';

/**
 * Calling the native kernels on a backend's tensors in place. On tfjs-backend-wasm a native kernel gets a Float32Array
 * over the whole WebAssembly memory (shared memory in the threaded build) and each tensor's byte offset in it; on a
 * JavaScript backend (the package's 'onednn' backend, ../onednn-backend.ts) each tensor's own Float32Array.
 */

/** A tensor argument of the addon: a byte offset in the wasm heap or a tensor's own values; -1 for an absent one. */
export type TensorArgument = number | Float32Array;

/** Where a native kernel's tensors are, for one kernel call. */
export interface NativeTensors {
  /** Allocates a float32 output. */
  output(shape: number[]): tf.TensorInfo;
  /** The addon's first argument; taken after the outputs are allocated (an allocation may move the wasm heap). */
  heap(): Float32Array;
  /** A tensor's argument, from its value number `from` on; -1 for an absent optional tensor. */
  at(info: tf.TensorInfo | undefined, from?: number): TensorArgument;
}

function wasmTensors(backend: unknown): NativeTensors {
  const wasm = backend as WasmHeapBackend;
  let lastOutput: tf.TensorInfo | undefined;
  return {
    output(shape) {
      lastOutput = wasm.makeOutput(shape, 'float32');
      return lastOutput;
    },
    heap() {
      if (!lastOutput) throw new Error('tfjs-wasm-training: a native kernel took the heap before allocating its output');
      return heapFloats(wasm.typedArrayFromHeap(lastOutput).buffer);
    },
    at: (info, from = 0) => (info ? heapAddress(backend, info.dataId) + from * 4 : -1),
  };
}

let heapView: Float32Array | undefined;

/** A Float32Array over the whole heap, kept while the heap's buffer stays the same. */
function heapFloats(buffer: ArrayBufferLike): Float32Array {
  if (heapView?.buffer !== buffer) heapView = new Float32Array(buffer);
  return heapView;
}

/** The part of tfjs's cpu backend (MathBackendCPU) the native kernels use. */
interface ArrayBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  data: { get(dataId: tf.DataId): { values?: tf.backend_util.BackendValues } };
}

const NO_HEAP = new Float32Array(0);

function arrayTensors(backend: unknown): NativeTensors {
  const arrays = backend as ArrayBackend;
  const valuesOf = (info: tf.TensorInfo) => {
    const values = arrays.data.get(info.dataId).values;
    // float32 tensors hold Float32Arrays; anything else is read through a copy.
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  };
  return {
    output: (shape) => arrays.makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape))),
    heap: () => NO_HEAP,
    at: (info, from = 0) => (info ? valuesOf(info).subarray(from) : -1),
  };
}

/**
 * A native kernel: runs the cases it takes on the backend's tensors in place and returns the output(s), or returns
 * null, before allocating anything, for a case it does not take: that goes to the kernel the native one replaced.
 */
export interface NativeKernel {
  kernelName: string;
  run(args: HeapKernelArgs, tensors: NativeTensors): tf.TensorInfo | tf.TensorInfo[] | null;
  /** What runs a declined case on the wasm backend (on the 'onednn' backend: the cpu backend's kernel). */
  wasmFallback(args: HeapKernelArgs): tf.TensorInfo | tf.TensorInfo[] | tf.Tensor;
}

/** The kernel config of `kernel` for the wasm backend. */
export function wasmNativeConfig(kernel: NativeKernel): tf.KernelConfig {
  return heapKernelConfig(kernel.kernelName, (args) => runNative(kernel, args, wasmTensors(args.backend)) ?? kernel.wasmFallback(args));
}

/** The kernel config of `kernel` for a backend of JavaScript arrays named `backendName`, declining to `replaced`. */
export function arrayNativeConfig(kernel: NativeKernel, backendName: string, replaced: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: HeapKernelArgs) =>
    runNative(kernel, args, arrayTensors(args.backend)) ?? replaced.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
  return { kernelName: kernel.kernelName, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

function runNative(kernel: NativeKernel, args: HeapKernelArgs, tensors: NativeTensors) {
  const result = kernel.run(args, tensors);
  countRun(kernel.kernelName, result !== null);
  return result;
}

/** Fused activations oneDNN applies as post-ops, by tfjs's name, with the code native/src/onednn.h gives them. */
export const ACTIVATION_CODES: Partial<Record<tf.fused.Activation, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  elu: 3,
  leakyrelu: 4,
  sigmoid: 5,
};

/** How often each kernel ran natively, and how often it passed a case on to the kernel it replaced. */
const runs = new Map<string, { native: number; passedOn: number }>();

function countRun(kernelName: string, native: boolean): void {
  const count = runs.get(kernelName) ?? { native: 0, passedOn: 0 };
  if (native) count.native++;
  else count.passedOn++;
  runs.set(kernelName, count);
}

/** A snapshot of the counts (later runs do not change it). */
export function nativeRuns(): Record<string, { native: number; passedOn: number }> {
  return Object.fromEntries([...runs].map(([kernelName, count]) => [kernelName, { ...count }]));
}

/** Runs another kernel config (the one a native kernel replaced on the wasm backend). */
export function passOn(config: tf.KernelConfig): (args: HeapKernelArgs) => tf.TensorInfo {
  return (args) => config.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}
