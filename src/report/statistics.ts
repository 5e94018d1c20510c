import ttest from '@stdlib/stats-ttest';

/** Runs paired by seed: one activation's values against its baseline's, seed for seed. */
export interface PairedComparison {
  /** Number of pairs (seeds both have). */
  n: number;
  /** Mean of value - baseline over the pairs. */
  difference: number;
  /** 95% confidence interval of the mean difference (Student's t); undefined below two pairs. */
  ci?: [number, number];
  /** Two-sided p-value of the paired t-test; undefined below two pairs or when every difference is equal. */
  pValue?: number;
  /** Two-sided p-value of the exact sign-flip permutation test; undefined above MAX_EXACT_PAIRS. */
  permutationPValue?: number;
}

/** Largest n for the exact sign-flip test (2^n sign patterns). */
export const MAX_EXACT_PAIRS = 20;

/** Paired comparison of `values[i]` against `baseline[i]` (same length, paired by position). */
export function comparePaired(values: number[], baseline: number[]): PairedComparison {
  const differences = values.map((value, index) => value - baseline[index]);
  const n = differences.length;
  const difference = differences.reduce((sum, value) => sum + value, 0) / n;
  const comparison: PairedComparison = { n, difference, permutationPValue: n <= MAX_EXACT_PAIRS ? signFlipPValue(differences) : undefined };
  const spread = differences.some((value) => value !== differences[0]);
  if (n >= 2 && spread) {
    const result = ttest(values, baseline, { alpha: 0.05 });
    comparison.ci = [result.ci[0], result.ci[1]];
    comparison.pValue = result.pValue;
  }
  return comparison;
}

/**
 * Exact two-sided sign-flip test of "the differences are symmetric around 0": the mean difference against its
 * value under all 2^n sign patterns, p = 2 * min(P(T <= t), P(T >= t)) capped at 1, as SciPy's
 * `permutation_test(..., permutation_type='samples', n_resamples=inf)` computes it (with its float tolerance).
 */
export function signFlipPValue(differences: number[]): number {
  const n = differences.length;
  const observed = differences.reduce((sum, value) => sum + value, 0) / n;
  const tolerance = Math.abs(observed) * 100 * Number.EPSILON;
  const patterns = 2 ** n;
  let atMost = 0;
  let atLeast = 0;
  for (let pattern = 0; pattern < patterns; pattern++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += pattern & (1 << i) ? -differences[i] : differences[i];
    const statistic = sum / n;
    if (statistic <= observed + tolerance) atMost++;
    if (statistic >= observed - tolerance) atLeast++;
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / patterns);
}

/** Convergence of one run's test accuracy per evaluated epoch (epochs ascending). */
export interface Convergence {
  /** The first evaluated epoch at which accuracy reaches 95% of the run's best. */
  epochsTo95Best?: number;
  /** Area under accuracy-against-epoch (trapezoidal rule) divided by the epochs it spans: a mean accuracy. */
  accuracyAuc?: number;
}

export function convergence(points: { epoch: number; accuracy: number }[]): Convergence {
  if (!points.length) return {};
  const best = Math.max(...points.map((point) => point.accuracy));
  const epochsTo95Best = points.find((point) => point.accuracy >= 0.95 * best)?.epoch;
  if (points.length === 1) return { epochsTo95Best, accuracyAuc: points[0].accuracy };
  let area = 0;
  for (let i = 1; i < points.length; i++)
    area += ((points[i].accuracy + points[i - 1].accuracy) / 2) * (points[i].epoch - points[i - 1].epoch);
  return { epochsTo95Best, accuracyAuc: area / (points[points.length - 1].epoch - points[0].epoch) };
}
