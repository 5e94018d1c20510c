/**
 * tfjs-wasm-training: training on TensorFlow.js's wasm backend (tfjs-backend-wasm 4.22) under Node. See README.md.
 */
export {
  startWasmTraining,
  WasmTrainingError,
  WASM_TRAINING_KERNELS,
  missingTrainingKernels,
  kernelReport,
  type KernelReport,
  type StartOptions,
} from './start';
export { startOneDnnBackend, oneDnnBackendReport, ONEDNN_BACKEND } from './onednn-backend';
export { registerKernelSource, kernelSources, runReplacedKernel, type KernelSource } from './kernel-sources';
export { WASM_SIMD_KERNELS } from './kernels';
export { TFJS_WASM_INTERNALS, brokenInternals, internalsReport, describeEntry, type InternalEntry } from './internals';
export {
  CHANNEL_MOMENTS,
  NORMALIZATION_GRADIENT_SUMS,
  NORMALIZATION_GRADIENT_SCALES,
  NORMALIZATION_INPUT_GRADIENT,
  MOVING_AVERAGES,
  BATCH_NORM_TRAINING,
  BATCH_NORM_GRADIENT,
  COMPOSED_NORMALIZATION_OPS,
  channelMoments,
  normalizationGradientSums,
  normalizationGradientScales,
  normalizationInputGradient,
  movingAverages,
  batchNormTraining,
  batchNormGradient,
} from './normalization-ops';
export { SGD_UPDATE, MOMENTUM_UPDATE, sgdUpdate, momentumUpdate, type MomentumSettings } from './optimizer-ops';
export { RELU_GRADIENT, reluGradient } from './relu-gradient';
