import { metrics } from '../registry';
import { confusionMatrix } from './confusion-matrix';
import type { MetricOptions } from './types';

/**
 * Per-class precision, recall and F1 averaged with weights = each class's share of the true labels, exactly as
 * scikit-learn's `average="weighted", zero_division=0`: a class never predicted has precision 0 (and F1 0);
 * classes absent from the true labels weigh 0. The weighted F1 is the weighted mean of per-class F1s, so it need
 * not lie between the weighted precision and recall.
 */
export function weightedPrecisionRecallF1(counts: number[][]): { precision: number; recall: number; f1: number } {
  const total = counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const result = { precision: 0, recall: 0, f1: 0 };
  if (total === 0) return result;
  counts.forEach((row, cls) => {
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = counts.reduce((sum, other) => sum + other[cls], 0);
    const truePositives = row[cls];
    const precision = predicted ? truePositives / predicted : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    const weight = support / total;
    result.precision += weight * precision;
    result.recall += weight * recall;
    result.f1 += weight * f1;
  });
  return result;
}

metrics.register<MetricOptions>({
  name: 'weighted-prf',
  description: 'precision, recall, F1 as scikit-learn average="weighted", zero_division=0 (columns precision, recall, f1)',
  options: {},
  build: () => ({
    columns: ['precision', 'recall', 'f1'],
    compute: ({ labels, predictions, numClasses }) => weightedPrecisionRecallF1(confusionMatrix(labels, predictions, numClasses)),
  }),
});
