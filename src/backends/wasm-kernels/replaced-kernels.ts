import type * as tf from '@tensorflow/tfjs';

/** tfjs-backend-wasm's own kernels that the pack replaced, for pack kernels that delegate to them on their fast path. */
const replaced = new Map<string, tf.KernelConfig>();

export function rememberReplacedKernel(config: tf.KernelConfig): void {
  replaced.set(config.kernelName, config);
}

/** Runs tfjs-backend-wasm's own kernel that the pack replaced (a pack kernel's fallback or fast path). */
export function runReplacedKernel(
  kernelName: string,
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const config = replaced.get(kernelName);
  if (!config)
    throw new Error(`the acaf wasm kernel pack replaced no '${kernelName}' kernel: register the pack after loading tfjs-backend-wasm`);
  return config.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}
