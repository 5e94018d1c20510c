import { metrics } from '../registry';
import { confusionMatrix } from './confusion-matrix';
import type { MetricOptions } from './types';

metrics.register<MetricOptions>({
  name: 'confusion',
  description: 'saves the final confusion matrix as confusion.csv (rows: true class, columns: predicted class)',
  options: {},
  build: () => ({
    columns: [],
    compute: () => ({}),
    table: ({ labels, predictions, numClasses, classes }) => ({
      file: 'confusion.csv',
      rows: [
        ['true \\ predicted', ...classes],
        ...confusionMatrix(labels, predictions, numClasses).map((row, cls) => [classes[cls], ...row]),
      ],
    }),
  }),
});
