import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import { backends } from '../registry';
import { registerCorrectedCpuKernels } from './cpu-gradient-kernels';

// At import, not at activation: tests and the wasm kernel checks use the cpu backend as an oracle without activating it here.
registerCorrectedCpuKernels();

backends.register({
  name: 'cpu',
  description: 'plain JavaScript: always available, slowest',
  options: {},
  build: () => ({
    name: 'cpu',
    async activate() {
      if (!(await tf.setBackend('cpu'))) throw new AcafError('the cpu backend failed to initialise');
    },
    cannotTrainReason: () => undefined,
  }),
});
