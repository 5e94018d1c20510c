import { datasets } from '../registry';
import { CIFAR10, CifarFormat, cifarOptions, findCifar, loadCifar10 } from './cifar';

datasets.register<{ type: string; dir?: string; format: CifarFormat }>({
  name: 'cifar10',
  description: 'CIFAR-10 32x32x3, 10 classes, binary or Python version (format detected from the folder)',
  options: cifarOptions,
  geometry: () => ({ shape: [32, 32, 3], classes: 10 }),
  locate: (options, context) => findCifar(CIFAR10, options.format ?? 'auto', options.dir, context).dir,
  build: async (options, context) => loadCifar10(options.dir, options.format ?? 'auto', context),
});
