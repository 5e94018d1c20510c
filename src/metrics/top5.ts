import { metrics } from '../registry';
import type { EvaluationBatch, MetricOptions } from './types';

const K = 5;

/** Whether the true class's logit is among the k largest (ties counted in the true class's favour). */
function inTopK({ logits, numClasses }: EvaluationBatch, example: number, label: number): boolean {
  const row = logits.subarray(example * numClasses, (example + 1) * numClasses);
  const higher = row.reduce((count, logit) => count + (logit > row[label] ? 1 : 0), 0);
  return higher < K;
}

metrics.register<MetricOptions>({
  name: 'top5',
  description: 'top-5 accuracy (column test_top5); left empty with 10 classes or fewer, where it says little',
  options: {},
  build: () => ({
    columns: ['test_top5'],
    compute: (evaluation) => {
      if (evaluation.numClasses <= 10 || evaluation.labels.length === 0) return { test_top5: null };
      const hits = evaluation.labels.reduce((sum, label, i) => sum + (inTopK(evaluation, i, label) ? 1 : 0), 0);
      return { test_top5: hits / evaluation.labels.length };
    },
  }),
});
