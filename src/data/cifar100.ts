import { datasets } from '../registry';
import { CIFAR100, CifarFormat, cifarOptions, findCifar, loadCifar100 } from './cifar';

datasets.register<{ type: string; dir?: string; format: CifarFormat; labels: 'fine' | 'coarse' }>({
  name: 'cifar100',
  description: 'CIFAR-100 32x32x3, 100 fine or 20 coarse classes, binary or Python version',
  options: {
    ...cifarOptions,
    labels: { enum: ['fine', 'coarse'], default: 'fine', description: '100 fine classes or 20 superclasses' },
  },
  geometry: (options) => ({ shape: [32, 32, 3], classes: options.labels === 'coarse' ? 20 : 100 }),
  locate: (options, context) => findCifar(CIFAR100, options.format ?? 'auto', options.dir, context).dir,
  build: async (options, context) => loadCifar100(options.dir, options.format ?? 'auto', options.labels ?? 'fine', context),
});
