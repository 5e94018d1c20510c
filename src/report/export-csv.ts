import { stringify } from 'csv-stringify/sync';
import type { RunGroup } from './aggregate';
import type { GroupComparison } from './baseline';
import { identityColumns, numericColumns, RunSummary } from './summary';

/** Rounds away float noise (0.1 + 0.2) without hiding real digits of an accuracy or a time. */
function cell(value: number | string | undefined): string | number {
  if (value === undefined || value === '') return '';
  return typeof value === 'number' ? Number(value.toFixed(6)) : value;
}

/** One row per run: `run`, the identity columns, the numeric columns, and the `reach` threshold used. */
export function runsToCsv(runs: RunSummary[]): string {
  const header = ['run', ...identityColumns, ...numericColumns, 'reach'];
  const rows = runs.map((run) => header.map((column) => cell(run[column as keyof RunSummary])));
  return stringify([header, ...rows]);
}

/**
 * One row per group: the grouping keys, `n` (runs in the group), then `<column>_mean` and `<column>_std` (sample
 * std, n - 1; empty for a single run) of every numeric column, `runs_reaching` (runs that reached `reach`; the
 * `epochs_to_reach` stats are over those only) and `reach`. With baseline comparisons: the pairs compared, the mean
 * paired difference with its 95% interval, and the p-values of the paired t-test and the exact sign-flip test.
 */
export function groupsToCsv(
  groups: RunGroup[],
  by: readonly string[],
  reach: number,
  comparisons?: (GroupComparison | undefined)[],
): string {
  const comparisonHeader = ['pairs', 'difference', 'difference_ci_low', 'difference_ci_high', 'p_value', 'p_sign_flip'];
  const header = [
    ...by,
    'n',
    ...numericColumns.flatMap((column) => [`${column}_mean`, `${column}_std`]),
    'runs_reaching',
    'reach',
    ...(comparisons ? comparisonHeader : []),
  ];
  const rows = groups.map((group, index) => {
    const comparison = comparisons?.[index]?.comparison;
    return [
      ...by.map((column) => cell(group.key[column as keyof RunGroup['key']])),
      group.runs.length,
      ...numericColumns.flatMap((column) => [cell(group.stats[column].mean), cell(group.stats[column].std)]),
      group.stats.epochs_to_reach.count,
      reach,
      ...(comparisons
        ? [
            comparison?.n,
            comparison?.difference,
            comparison?.ci?.[0],
            comparison?.ci?.[1],
            comparison?.pValue,
            comparison?.permutationPValue,
          ].map((value) => (value === undefined ? '' : value))
        : []),
    ];
  });
  return stringify([header, ...rows]);
}
