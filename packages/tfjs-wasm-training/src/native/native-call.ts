import type * as tf from '@tensorflow/tfjs';
import { heapAddress, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';

/**
 * Calling the native kernels on tfjs-backend-wasm's tensors in place: a native kernel gets a Float32Array over the
 * whole WebAssembly memory (shared memory in the threaded build) and each tensor's byte offset in it.
 */

let heapView: Float32Array | undefined;

/** A Float32Array over the heap, taken after the output's allocation (which may grow the heap and so replace its buffer). */
export function heapFloats(backend: unknown, output: tf.TensorInfo): Float32Array {
  const buffer = (backend as WasmHeapBackend).typedArrayFromHeap(output).buffer;
  if (heapView?.buffer !== buffer) heapView = new Float32Array(buffer);
  return heapView;
}

/** A tensor's byte offset in the heap, or -1 for an absent optional one. */
export function offsetOf(backend: unknown, info: tf.TensorInfo | undefined): number {
  return info ? heapAddress(backend, info.dataId) : -1;
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

export function countRun(kernelName: string, native: boolean): void {
  const count = runs.get(kernelName) ?? { native: 0, passedOn: 0 };
  if (native) count.native++;
  else count.passedOn++;
  runs.set(kernelName, count);
}

/** A snapshot of the counts (later runs do not change it). */
export function nativeRuns(): Record<string, { native: number; passedOn: number }> {
  return Object.fromEntries([...runs].map(([kernelName, count]) => [kernelName, { ...count }]));
}

/** Runs another kernel (the one a native kernel replaced) on a case the native kernel does not take. */
export function passOn(config: tf.KernelConfig): (args: HeapKernelArgs) => tf.TensorInfo {
  return (args) => config.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}
