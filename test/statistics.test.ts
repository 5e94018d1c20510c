import * as fs from 'fs';
import * as path from 'path';
import { comparePaired, convergence, signFlipPValue } from '../src/report/statistics';

interface Golden {
  paired: { values: number[]; baseline: number[]; difference: number; ci: [number, number]; pValue: number; permutationPValue: number }[];
  convergence: { epochs: number[]; accuracies: number[]; epochsTo95Best: number; accuracyAuc: number }[];
}

/** Expected values computed by SciPy (test/fixtures/statistics/make-statistics-golden.py). */
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'statistics', 'statistics-golden.json'), 'utf8')) as Golden;

test.each(golden.paired.map((item) => [item.values.length, item] as const))(
  'paired comparison over %i seeds matches SciPy ttest_rel and the exact permutation_test',
  (_, item) => {
    const result = comparePaired(item.values, item.baseline);
    expect(result.n).toBe(item.values.length);
    expect(result.difference).toBeCloseTo(item.difference, 12);
    expect(result.pValue).toBeCloseTo(item.pValue, 10);
    expect(result.ci![0]).toBeCloseTo(item.ci[0], 10);
    expect(result.ci![1]).toBeCloseTo(item.ci[1], 10);
    expect(result.permutationPValue).toBeCloseTo(item.permutationPValue, 12);
  },
);

test.each(golden.convergence.map((item) => [item.epochs.length, item] as const))(
  'convergence over %i epochs matches SciPy trapezoid',
  (_, item) => {
    const result = convergence(item.epochs.map((epoch, index) => ({ epoch, accuracy: item.accuracies[index] })));
    expect(result.epochsTo95Best).toBe(item.epochsTo95Best);
    expect(result.accuracyAuc).toBeCloseTo(item.accuracyAuc, 12);
  },
);

test('the sign-flip test by hand: 3 positive differences give 2 of 8 patterns as extreme, p = 0.25', () => {
  expect(signFlipPValue([0.01, 0.02, 0.03])).toBe(0.25);
  expect(signFlipPValue([0, 0, 0])).toBe(1);
});

test('one pair, or equal differences, has no t-test and no interval', () => {
  expect(comparePaired([0.75], [0.5])).toEqual({ n: 1, difference: 0.25, permutationPValue: 1 });
  expect(comparePaired([0.75, 0.5], [0.5, 0.25])).toEqual({ n: 2, difference: 0.25, permutationPValue: 0.5 });
  expect(convergence([])).toEqual({});
  expect(convergence([{ epoch: 3, accuracy: 0.4 }])).toEqual({ epochsTo95Best: 3, accuracyAuc: 0.4 });
});
