import type { KernelSource } from '../kernel-sources';
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
import { movingAveragesConfig, normalizationGradientScalesConfig } from './normalization-vectors';
import { meanConfig, sumConfig } from './reduce-leading-axes';
import { reverseConfig } from './reverse';
import { sliceConfig } from './slice';
import { tileConfig } from './tile';
import { transposeConfig } from './transpose';

/**
 * The package's kernel source 'wasm-simd': kernels that training needs and tfjs-backend-wasm 4.22 lacks, or has only
 * as slow scalar loops. Each is composed of fast wasm ops (./kernel-tensors), or is a block copy over the wasm heap
 * (./wasm-heap), or runs the package's own WebAssembly SIMD kernels (../simd) where the work is memory-bound, and is
 * checked against the cpu backend in test/wasm-kernels.test.ts.
 */
export const WASM_SIMD_KERNELS: KernelSource = {
  name: 'wasm-simd',
  kernels: [
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
    movingAveragesConfig,
    normalizationGradientScalesConfig,
    normalizationGradientSumsConfig,
    normalizationInputGradientConfig,
    reverseConfig,
    sliceConfig,
    sumConfig,
    tileConfig,
    transposeConfig,
  ],
};
