import { ONEDNN_BACKEND, oneDnnBackendReport, startOneDnnBackend } from 'tfjs-wasm-training';
import { AcafError } from '../errors';
import { backends } from '../registry';
import { wasmThreadCount } from './wasm';

/**
 * tfjs's cpu backend with the native oneDNN kernels of tfjs-wasm-training (convolutions, products, pooling, batch
 * norm, the memory-bound passes) on its JavaScript arrays: no 4 GiB heap as on wasm, so it trains what wasm's heap
 * cannot hold (VGG16 at 84x84). Its other kernels are the cpu backend's plain JavaScript.
 */
backends.register({
  name: ONEDNN_BACKEND,
  description: 'JavaScript arrays with native oneDNN kernels: no 4 GiB heap; where libdnnl-dev was installed',
  options: {},
  build: () => ({
    name: ONEDNN_BACKEND,
    async activate() {
      const { threads } = wasmThreadCount();
      await startOneDnnBackend({ threads, userError: (message) => new AcafError(message) });
      return `${threads} thread${threads === 1 ? '' : 's'}, kernels cpu + onednn (${versionOf(oneDnnBackendReport().native)})`;
    },
    kernelReport: oneDnnBackendReport,
    cannotTrainReason: () => undefined,
  }),
});

function versionOf(native: ReturnType<typeof oneDnnBackendReport>['native']): string {
  return 'version' in native ? native.version : native.unused;
}
