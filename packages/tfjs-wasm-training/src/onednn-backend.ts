import * as tf from '@tensorflow/tfjs';
import { nativeKernelReport, nativeKernels, setNativeThreads } from './native';
import { loadAddon } from './native/addon';
import { arrayNativeConfig } from './native/native-call';
import type { KernelReport } from './start';

/** The backend's name in tfjs (tf.setBackend) and in the kernel registry. */
export const ONEDNN_BACKEND = 'onednn';

/**
 * tfjs's cpu backend with the native kernels: its tensors are JavaScript arrays, so unlike tfjs-backend-wasm's heap
 * (WebAssembly's 32-bit memory) a training step is bounded by the machine's memory, not 4 GiB. Convolutions,
 * products, pooling, batch norm and the memory-bound passes run natively on those arrays in place; every other kernel
 * is the cpu backend's, copied when the backend first starts (kernels registered for 'cpu' later are not seen).
 */
export async function startOneDnnBackend({
  threads,
  userError = (message) => new Error(message),
}: {
  /** oneDNN's and the native loops' threads (OpenMP). */
  threads: number;
  userError?: (message: string) => Error;
}): Promise<void> {
  if (!tf.findBackendFactory(ONEDNN_BACKEND)) registerOneDnnBackend(userError);
  if (!(await tf.setBackend(ONEDNN_BACKEND)) || tf.getBackend() !== ONEDNN_BACKEND) {
    throw userError(`tfjs-wasm-training: the ${ONEDNN_BACKEND} backend did not become the active backend`);
  }
  setNativeThreads(threads);
}

function registerOneDnnBackend(userError: (message: string) => Error): void {
  const kernels = nativeKernels();
  if ('unavailable' in kernels) throw userError(`the ${ONEDNN_BACKEND} backend needs the native kernels: ${kernels.unavailable}`);
  const cpuFactory = tf.findBackendFactory('cpu');
  if (!cpuFactory) throw userError(`tfjs-wasm-training: tfjs has no cpu backend to build the ${ONEDNN_BACKEND} backend on`);
  const cpuKernels = new Map(tf.getKernelsForBackend('cpu').map((config) => [config.kernelName, config]));
  const nativeConfigs = kernels.map((kernel) => {
    const cpuKernel = cpuKernels.get(kernel.kernelName);
    if (!cpuKernel) throw new Error(`tfjs-wasm-training: the cpu backend has no '${kernel.kernelName}' kernel to fall back to`);
    return arrayNativeConfig(kernel, ONEDNN_BACKEND, cpuKernel);
  });
  // Priority 0, below cpu's 1: tfjs never picks it by itself.
  tf.registerBackend(ONEDNN_BACKEND, cpuFactory, 0);
  nativeConfigs.forEach((config) => tf.registerKernel(config));
  const native = new Set(nativeConfigs.map(({ kernelName }) => kernelName));
  for (const config of cpuKernels.values()) {
    if (!native.has(config.kernelName)) tf.registerKernel({ ...config, backendName: ONEDNN_BACKEND });
  }
}

/** The backend's kernel sources ('cpu', then 'onednn') and what the native kernels did so far, or why there are none. */
export function oneDnnBackendReport(): KernelReport {
  const loaded = loadAddon();
  const native = 'reason' in loaded ? { unused: loaded.reason } : nativeKernelReport()!;
  return { sources: ['cpu', ONEDNN_BACKEND], native };
}
