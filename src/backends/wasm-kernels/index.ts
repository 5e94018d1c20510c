import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig, fusedBatchMatMulConfig } from './batch-matmul';
import { castConfig } from './cast';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input';
import { fusedBatchNormConfig } from './fused-batch-norm';
import { fusedConv2dConfig } from './fused-conv2d';
import { gatherV2Config } from './gather';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';
import { channelMomentsConfig, normalizationGradientSumsConfig, normalizationInputGradientConfig } from './normalization';
import { meanConfig, sumConfig } from './reduce-leading-axes';
import { rememberReplacedKernel } from './replaced-kernels';
import { prepareSimdKernels } from './simd';
import { reverseConfig } from './reverse';
import { sliceConfig } from './slice';
import { tileConfig } from './tile';
import { transposeConfig } from './transpose';

/**
 * acaf's wasm training kernel pack: kernels that training needs and tfjs-backend-wasm 4.22 lacks, or has only as
 * slow scalar loops. Each is composed of fast wasm ops, or is a block copy over the wasm heap (./wasm-heap), or runs
 * the pack's own WebAssembly SIMD kernels (./simd) where the work is memory-bound, and is checked against the cpu
 * backend in test/wasm-kernels.test.ts.
 */
export const WASM_KERNEL_PACK: tf.KernelConfig[] = [
  batchMatMulConfig,
  castConfig,
  channelMomentsConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  fusedBatchMatMulConfig,
  fusedBatchNormConfig,
  fusedConv2dConfig,
  gatherV2Config,
  identityConfig,
  maxPoolGradConfig,
  meanConfig,
  normalizationGradientSumsConfig,
  normalizationInputGradientConfig,
  reverseConfig,
  sliceConfig,
  sumConfig,
  tileConfig,
  transposeConfig,
];

/**
 * Registers the pack for the wasm backend, replacing tfjs-backend-wasm's own kernel of the same name where it has
 * one, and prepares the pack's SIMD kernels (./simd). Call after loading @tensorflow/tfjs-backend-wasm (which
 * registers its kernels on load); calling again is a no-op.
 */
export async function registerWasmKernelPack(): Promise<void> {
  await prepareSimdKernels();
  for (const config of WASM_KERNEL_PACK) {
    const registered = tf.getKernel(config.kernelName, 'wasm');
    if (registered?.kernelFunc === config.kernelFunc) continue; // already registered
    if (registered) {
      rememberReplacedKernel(registered);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    // A replaced kernel we delegate to still needs its setup (binding its wasm function) when the backend starts.
    tf.registerKernel({ ...config, setupFunc: config.setupFunc ?? registered?.setupFunc });
  }
}
