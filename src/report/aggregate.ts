import { AcafError } from '../errors';
import { IdentityColumn, identityColumns, NumericColumn, numericColumns, RunSummary } from './summary';

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

/** Checks `--by name,seed,...` against the identity columns; an unknown key is an error listing the valid ones. */
export function parseGroupKeys(text: string): IdentityColumn[] {
  const keys = text.split(',').map((key) => key.trim()).filter(Boolean);
  for (const key of keys) {
    if (!(identityColumns as readonly string[]).includes(key)) {
      throw new AcafError(`--by: unknown key '${key}'; group by any of: ${identityColumns.join(', ')}`, 2);
    }
  }
  if (!keys.length) throw new AcafError(`--by: give at least one of: ${identityColumns.join(', ')}`, 2);
  return keys as IdentityColumn[];
}

/** Checks `--metric` against the numeric columns. */
export function parseMetric(text: string): NumericColumn {
  if (!(numericColumns as readonly string[]).includes(text)) {
    throw new AcafError(`--metric: unknown metric '${text}'; one of: ${numericColumns.join(', ')}`, 2);
  }
  return text as NumericColumn;
}
