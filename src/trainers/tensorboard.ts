import type { BackendName } from '../backends/types';

/** Writes scalars for TensorBoard; a no-op where the backend cannot. */
export interface ScalarWriter {
  scalars(step: number, values: Record<string, number | null>): void;
  close(): void;
}

interface SummaryWriter {
  scalar(name: string, value: number, step: number): void;
  flush(): void;
}

/**
 * TensorBoard event files through tfjs-node's `tf.node.summaryFileWriter`, which exists only with the native
 * `tensorflow`/`tensorflow-gpu` backends. Elsewhere: undefined plus one warning, never an error.
 * (Not exercised in tests: tfjs-node cannot be installed here.)
 */
export function createTensorboardWriter(backend: BackendName, logDir: string, warn: (line: string) => void): ScalarWriter | undefined {
  if (backend !== 'tensorflow' && backend !== 'tensorflow-gpu') {
    warn(`logging.tensorboard: TensorBoard needs the tensorflow or tensorflow-gpu backend (active: ${backend}); not writing it`);
    return undefined;
  }
  const packageName = backend === 'tensorflow' ? '@tensorflow/tfjs-node' : '@tensorflow/tfjs-node-gpu';
  const node = (require(packageName) as { node: { summaryFileWriter(dir: string): SummaryWriter } }).node;
  const writer = node.summaryFileWriter(logDir);
  return {
    scalars(step, values) {
      for (const [name, value] of Object.entries(values)) if (value !== null && Number.isFinite(value)) writer.scalar(name, value, step);
    },
    close: () => writer.flush(),
  };
}
