import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import { backends } from '../registry';

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
