import * as tf from '@tensorflow/tfjs';

/**
 * tfjs's own cpu kernels as registered when tfjs loads, captured before acaf replaces any (src/backends/cpu-gradient-kernels.ts):
 * import this module before src/plugins, so a test can show its check fails on tfjs's unfixed kernel.
 */
export const TFJS_CPU_KERNELS = new Map(
  [tf.ResizeNearestNeighborGrad, tf.ResizeBilinearGrad, tf.AvgPoolGrad].map((name) => [name, tf.getKernel(name, 'cpu')!] as const),
);

/** Runs `body` with tfjs's own kernel `kernelName` registered on cpu instead of acaf's, then restores acaf's. */
export function withTfjsKernel<T>(kernelName: string, body: () => T): T {
  const current = tf.getKernel(kernelName, 'cpu')!;
  tf.unregisterKernel(kernelName, 'cpu');
  tf.registerKernel(TFJS_CPU_KERNELS.get(kernelName)!);
  try {
    return body();
  } finally {
    tf.unregisterKernel(kernelName, 'cpu');
    tf.registerKernel(current);
  }
}
