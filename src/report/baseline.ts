import { AcafError } from '../errors';
import type { RunGroup } from './aggregate';
import { comparePaired, PairedComparison } from './statistics';
import { IdentityColumn, identityColumns, NumericColumn, RunSummary } from './summary';

/** `--baseline activation=relu`: the groups with this value of this grouping key are what the others are compared with. */
export interface Baseline {
  column: IdentityColumn;
  value: string;
}

/** Parses `key=value`; the key must be one of the `--by` keys. */
export function parseBaseline(text: string, by: readonly IdentityColumn[]): Baseline {
  const match = /^([^=]+)=(.+)$/.exec(text.trim());
  if (!match) throw new AcafError(`--baseline: expected key=value (e.g. activation=relu), got '${text}'`, 2);
  const column = match[1].trim() as IdentityColumn;
  if (!identityColumns.includes(column))
    throw new AcafError(`--baseline: unknown key '${column}'; one of: ${identityColumns.join(', ')}`, 2);
  if (!by.includes(column)) throw new AcafError(`--baseline: '${column}' must be one of the --by keys (${by.join(', ')})`, 2);
  return { column, value: match[2].trim() };
}

/** A group against its baseline group: the one with the same keys except the baseline's, paired by seed. */
export interface GroupComparison {
  baseline: RunGroup;
  comparison: PairedComparison;
}

/**
 * Compares `metric` of every group with its baseline group, pairing runs by seed (only seeds both have count).
 * Undefined for the baseline groups themselves and where no baseline group or no common seed exists.
 */
export function compareWithBaseline(groups: RunGroup[], baseline: Baseline, metric: NumericColumn): (GroupComparison | undefined)[] {
  const keyOf = (group: RunGroup, override?: string) =>
    JSON.stringify(Object.entries(group.key).map(([column, value]) => (column === baseline.column ? (override ?? String(value)) : value)));
  const baselines = new Map(
    groups.filter((group) => String(group.key[baseline.column]) === baseline.value).map((group) => [keyOf(group), group]),
  );
  return groups.map((group) => {
    if (String(group.key[baseline.column]) === baseline.value) return undefined;
    const reference = baselines.get(keyOf(group, baseline.value));
    if (!reference) return undefined;
    const values = bySeed(group, metric);
    const references = bySeed(reference, metric);
    const seeds = [...values.keys()].filter((seed) => references.has(seed));
    if (!seeds.length) return undefined;
    return {
      baseline: reference,
      comparison: comparePaired(
        seeds.map((seed) => values.get(seed)!),
        seeds.map((seed) => references.get(seed)!),
      ),
    };
  });
}

/** A group's metric per seed; two runs of one seed (other experiments) cannot be paired, so that is an error. */
function bySeed(group: RunGroup, metric: NumericColumn): Map<string | number, number> {
  const values = new Map<string | number, number>();
  const runs = new Map<string | number, RunSummary>();
  for (const run of group.runs) {
    const other = runs.get(run.seed);
    if (other) {
      const where = Object.entries(group.key)
        .map(([column, value]) => `${column} ${value}`)
        .join(', ');
      throw new AcafError(
        `--baseline: the group ${where} has two runs of seed ${run.seed} from different configs (${other.run} and ${run.run}); ` +
          'add the key that tells them apart to --by',
        2,
      );
    }
    runs.set(run.seed, run);
    const value = run[metric];
    if (value !== undefined && !Number.isNaN(value)) values.set(run.seed, value);
  }
  return values;
}
