import { metrics } from '../registry';
import type { MetricOptions } from './types';

metrics.register<MetricOptions>({
  name: 'accuracy',
  description: 'top-1 accuracy over the whole test split (column test_accuracy)',
  options: {},
  build: () => ({
    columns: ['test_accuracy'],
    compute: ({ labels, predictions }) => {
      const correct = labels.reduce((sum, label, i) => sum + (label === predictions[i] ? 1 : 0), 0);
      return { test_accuracy: labels.length ? correct / labels.length : 0 };
    },
  }),
});
