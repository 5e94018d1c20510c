import { datasets } from '../registry';
import { loadIdxDataset, locateIdxDataset } from './idx-dataset';

datasets.register<{ type: string; dir?: string }>({
  name: 'mnist',
  description: 'MNIST digits 28x28x1, 10 classes (IDX files; data.dir, else ~/.cache/acaf/mnist)',
  options: {
    dir: { type: 'string', description: 'folder with the four IDX files (gzipped or not)' },
  },
  geometry: () => ({ shape: [28, 28, 1], classes: 10 }),
  locate: (options, context) => locateIdxDataset('mnist', options.dir, context),
  build: async (options, context) => loadIdxDataset('mnist', ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], options.dir, context),
});
