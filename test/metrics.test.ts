import '../src/plugins';
import { metrics } from '../src/registry';
import type { EvaluationBatch } from '../src/metrics/types';

function evaluation(labels: number[], predictions: number[], numClasses: number, logits?: number[]): EvaluationBatch {
  return {
    labels: Int32Array.from(labels),
    predictions: Int32Array.from(predictions),
    logits: Float32Array.from(logits ?? []),
    numClasses,
    classes: Array.from({ length: numClasses }, (_, i) => `c${i}`),
  };
}

const compute = (name: string, batch: EvaluationBatch) => metrics.build(name, { type: name }, undefined).compute(batch);

// Hand-computed: true 0,0,0,1,1,2 predicted 0,1,0,1,1,1; class 2 never predicted.
// class 0: P 2/2, R 2/3, F1 0.8; class 1: P 2/4, R 2/2, F1 2/3; class 2: P 0 (zero_division=0), R 0, F1 0.
// weights 3/6, 2/6, 1/6 -> P 2/3, R 2/3, F1 0.4 + 2/9 = 0.6222...
const fixed = evaluation([0, 0, 0, 1, 1, 2], [0, 1, 0, 1, 1, 1], 3);

test('accuracy: fraction of exact top-1 hits', () => {
  expect(compute('accuracy', fixed).test_accuracy).toBeCloseTo(4 / 6, 12);
});

test('weighted-prf: matches scikit-learn average="weighted", zero_division=0', () => {
  const result = compute('weighted-prf', fixed);
  expect(result.precision).toBeCloseTo(2 / 3, 12);
  expect(result.recall).toBeCloseTo(2 / 3, 12);
  expect(result.f1).toBeCloseTo(0.4 + 2 / 9, 12);
});

test('weighted-prf: a class present only in predictions weighs nothing', () => {
  // true 0,0,1,1 predicted 0,2,1,1: class 0 P 1 R .5 F1 2/3; class 1 P 1 R 1 F1 1 -> P 1, R .75, F1 5/6.
  const result = compute('weighted-prf', evaluation([0, 0, 1, 1], [0, 2, 1, 1], 3));
  expect(result).toEqual({ precision: expect.closeTo(1, 12), recall: expect.closeTo(0.75, 12), f1: expect.closeTo(5 / 6, 12) });
});

test('top5: empty with 10 classes or fewer; with 12 classes counts the true class among the five highest logits', () => {
  expect(compute('top5', fixed).test_top5).toBeNull();
  const row = (high: number[]) => Array.from({ length: 12 }, (_, c) => (high.includes(c) ? 10 - high.indexOf(c) : 0));
  const logits = [...row([1, 2, 3, 4, 5]), ...row([0, 1, 2, 3, 4]), ...row([11, 10, 9, 8, 7])];
  const result = compute('top5', evaluation([5, 6, 11], [1, 0, 11], 12, logits));
  expect(result.test_top5).toBeCloseTo(2 / 3, 12);
});

test('confusion: rows are true classes, columns predictions, with class names', () => {
  const metric = metrics.build('confusion', { type: 'confusion' }, undefined);
  expect(metric.table!(fixed)).toEqual({
    file: 'confusion.csv',
    rows: [
      ['true \\ predicted', 'c0', 'c1', 'c2'],
      ['c0', 2, 1, 0],
      ['c1', 0, 2, 0],
      ['c2', 0, 1, 0],
    ],
  });
});

test.each(metrics.names())('metric %s returns exactly its declared columns', (name) => {
  const metric = metrics.build(name, { type: name }, undefined);
  expect(Object.keys(metric.compute(fixed)).sort()).toEqual([...metric.columns].sort());
});
