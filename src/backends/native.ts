import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import type { BackendName, BackendPlugin } from './types';

/**
 * A libtensorflow binding (`@tensorflow/tfjs-node` or `-gpu`): an optional dependency, so it is resolved and
 * loaded only when asked for. Both register the tfjs backend called `tensorflow`.
 */
export function nativeBackend(name: BackendName, packageName: string): BackendPlugin {
  return {
    name,
    async activate() {
      try {
        require.resolve(packageName);
      } catch {
        // An optional dependency: its install downloads libtensorflow, which fails without internet (see README).
        throw new AcafError(`${packageName} is not installed`);
      }
      try {
        require(packageName);
      } catch (error) {
        throw new AcafError(`${packageName} is installed but failed to load: ${(error as Error).message.split('\n')[0]}`);
      }
      if (!(await tf.setBackend('tensorflow'))) throw new AcafError(`${packageName} loaded but its backend did not initialise`);
    },
    cannotTrainReason: () => undefined,
  };
}
