import { backends } from '../registry';
import { nativeBackend } from './native';

backends.register({
  name: 'tensorflow',
  description: 'libtensorflow on the CPU, through the optional @tensorflow/tfjs-node',
  options: {},
  build: () => nativeBackend('tensorflow', '@tensorflow/tfjs-node'),
});
