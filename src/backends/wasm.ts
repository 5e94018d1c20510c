import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import { backends } from '../registry';
import { failOnXnnpackErrors } from './wasm-failures';
import { registerWasmKernelPack } from './wasm-kernels';
import { startWasmBackend } from './wasm-threads';

/**
 * Kernels that training needs and tfjs-backend-wasm 4.22 does not register; acaf's wasm training kernel pack
 * (./wasm-kernels) registers them, with faster replacements of some of its own, when wasm is activated.
 */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'];

backends.register({
  name: 'wasm',
  description: 'WebAssembly (XNNPACK, SIMD), bundled: no native install needed',
  options: {},
  build: () => ({
    name: 'wasm',
    async activate() {
      require('@tensorflow/tfjs-backend-wasm');
      await registerWasmKernelPack();
      failOnXnnpackErrors();
      const threads = await startWasmBackend().catch((error: Error) => {
        throw new AcafError(error.message);
      });
      return `${threads} thread${threads === 1 ? '' : 's'}`;
    },
    cannotTrainReason() {
      const missing = WASM_TRAINING_KERNELS.filter((kernel) => !tf.getKernel(kernel, 'wasm'));
      return missing.length ? `wasm lacks training kernels: ${missing.join(', ')}` : undefined;
    },
  }),
});
