import { datasets } from '../registry';
import { loadIdxDataset, locateIdxDataset } from './idx-dataset';

/** Debian's dataset-fashion-mnist package installs the original gzipped IDX files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

datasets.register<{ type: string; dir?: string }>({
  name: 'fashion-mnist',
  description: 'Fashion-MNIST 28x28x1, 10 classes (IDX files; data.dir, else ~/.cache/acaf/fashion-mnist, else Debian\'s package)',
  options: {
    dir: { type: 'string', description: 'folder with the four IDX files, e.g. data/fashion-mnist-sample' },
  },
  geometry: () => ({ shape: [28, 28, 1], classes: FASHION_MNIST_CLASSES.length }),
  locate: (options, context) => locateIdxDataset('fashion-mnist', options.dir, context, [DEBIAN_FASHION_MNIST_DIR]),
  build: async (options, context) => loadIdxDataset('fashion-mnist', FASHION_MNIST_CLASSES, options.dir, context, [DEBIAN_FASHION_MNIST_DIR]),
});
