import { IdentityColumn, NumericColumn, numericColumns, RunSummary } from './summary';

export function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Sample standard deviation (divides by n - 1); undefined for fewer than two values. */
export function sampleStd(values: number[]): number | undefined {
  if (values.length < 2) return undefined;
  const centre = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1));
}

/** Mean and sample std of one column over a group's runs that have a value for it (`count` of them). */
export interface ColumnStats {
  mean?: number;
  std?: number;
  count: number;
}

export interface RunGroup {
  /** The grouping columns' shared values. */
  key: Partial<Record<IdentityColumn, string | number>>;
  runs: RunSummary[];
  stats: Record<NumericColumn, ColumnStats>;
}

export function columnStats(runs: RunSummary[], column: NumericColumn): ColumnStats {
  const values = runs.map((run) => run[column]).filter((value): value is number => value !== undefined && !Number.isNaN(value));
  return { mean: values.length ? mean(values) : undefined, std: sampleStd(values), count: values.length };
}

/**
 * One run per experiment and seed: the latest (by start time) of the complete ones, else of all. A `--fresh`
 * re-run of a seed replaces the earlier run instead of counting as another sample. Order of first appearance.
 */
export function latestPerSeed(runs: RunSummary[]): RunSummary[] {
  const chosen = new Map<string, RunSummary>();
  const rank = (run: RunSummary) => `${run.status === 'complete' ? 1 : 0} ${run.started}`;
  for (const run of runs) {
    const id = JSON.stringify([run.experiment, run.seed]);
    const current = chosen.get(id);
    if (!current || rank(run) > rank(current)) chosen.set(id, run);
  }
  const kept = new Set(chosen.values());
  return runs.filter((run) => kept.has(run));
}

/** Groups runs by the given identity columns, in order of first appearance, with stats of every numeric column. */
export function groupRuns(runs: RunSummary[], by: IdentityColumn[]): RunGroup[] {
  const groups = new Map<string, RunSummary[]>();
  for (const run of runs) {
    const id = JSON.stringify(by.map((column) => run[column]));
    groups.set(id, [...(groups.get(id) ?? []), run]);
  }
  return [...groups.values()].map((members) => ({
    key: Object.fromEntries(by.map((column) => [column, members[0][column]])),
    runs: members,
    stats: Object.fromEntries(numericColumns.map((column) => [column, columnStats(members, column)])) as Record<NumericColumn, ColumnStats>,
  }));
}
