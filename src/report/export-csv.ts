import { stringify } from 'csv-stringify/sync';
import type { RunGroup } from './aggregate';
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
 * `epochs_to_reach` stats are over those only) and `reach`.
 */
export function groupsToCsv(groups: RunGroup[], by: readonly string[], reach: number): string {
  const header = [...by, 'n', ...numericColumns.flatMap((column) => [`${column}_mean`, `${column}_std`]), 'runs_reaching', 'reach'];
  const rows = groups.map((group) => [
    ...by.map((column) => cell(group.key[column as keyof RunGroup['key']])),
    group.runs.length,
    ...numericColumns.flatMap((column) => [cell(group.stats[column].mean), cell(group.stats[column].std)]),
    group.stats.epochs_to_reach.count,
    reach,
  ]);
  return stringify([header, ...rows]);
}
