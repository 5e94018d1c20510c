import { backends } from '../registry';
import { nativeBackend } from './native';

backends.register({
  name: 'tensorflow-gpu',
  description: 'libtensorflow with CUDA, through the optional @tensorflow/tfjs-node-gpu',
  options: {},
  build: () => nativeBackend('tensorflow-gpu', '@tensorflow/tfjs-node-gpu'),
});
