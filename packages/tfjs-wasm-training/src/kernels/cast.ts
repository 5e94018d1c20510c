import * as tf from '@tensorflow/tfjs';
import { shareTensorData } from './identity';
import { runReplacedKernel } from '../kernel-sources';
import { heapKernelConfig, type HeapKernelArgs } from './wasm-heap';

/**
 * A cast to the tensor's own dtype shares its memory instead of copying it (every ReLU gradient casts a float32
 * step function to float32); real conversions go to tfjs-backend-wasm's kernel.
 */
function cast(args: HeapKernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  if (dtype === x.dtype && dtype !== 'string') return shareTensorData(args);
  return runReplacedKernel(tf.Cast, args);
}

export const castConfig = heapKernelConfig(tf.Cast, cast);
