import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { heapKernelConfig, type HeapKernelArgs } from './wasm-heap';

/** The part of tfjs-backend-wasm's BackendWasm that sharing a tensor's memory needs. */
interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/**
 * The same values under a new tensor, sharing the memory (tensors are immutable; the backend counts references), as
 * the cpu and webgl backends do. tfjs-backend-wasm copies instead, and the engine clones every tensor it saves for
 * the backward pass: those copies were about a tenth of a ResNet-50 training step.
 */
export function shareTensorData({ inputs, backend }: HeapKernelArgs): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function identity(args: HeapKernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  // String tensors live outside the heap; tfjs-backend-wasm's kernel handles them.
  if (x.dtype === 'string') return runReplacedKernel(tf.Identity, args);
  return shareTensorData(args);
}

export const identityConfig = heapKernelConfig(tf.Identity, identity);
