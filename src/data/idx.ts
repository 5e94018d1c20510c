import { datasets } from '../registry';
import { loadIdxDataset } from './idx-dataset';

datasets.register<{ type: string; dir: string; classNames: string[] }>({
  name: 'idx',
  description: 'any MNIST-style dataset: the four IDX files (train/t10k images and labels, gzipped or not) in data.dir',
  options: {
    dir: { type: 'string', description: 'folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...' },
    classNames: { type: 'array', items: { type: 'string' }, minItems: 2, description: 'one name per label value 0..k-1' },
  },
  required: ['dir', 'classNames'],
  build: async (options, context) => loadIdxDataset('idx', options.classNames, options.dir, context),
});
