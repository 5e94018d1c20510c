import { AcafError } from '../../errors';
import { at, IdentityColumn, identityColumns, identifyRun } from '../summary';
import type { RunRecord } from '../types';

/**
 * What `acaf plot --by` splits curves by: identity columns (`activation`, `optimizer`, `seed`...) or any config key
 * path (`model.activation.share`, `train.optimizer.lr`). Curves of runs with the same values are averaged.
 */
export type SeriesKeys = string[];

/** The config key path behind each identity column that comes from the config. */
const identityPaths: Partial<Record<IdentityColumn, string>> = {
  name: 'name',
  network: 'model.network.type',
  activation: 'model.activation.type',
  optimizer: 'train.optimizer.type',
  dataset: 'data.type',
  seed: 'seed',
  protocol: 'protocol',
};

const isIdentityColumn = (key: string): key is IdentityColumn => (identityColumns as readonly string[]).includes(key);

/** Checks `--by` against the runs: each key an identity column or a key path that some run's config has. */
export function parseSeriesKeys(text: string, records: RunRecord[]): SeriesKeys {
  const keys = text
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const hint = `an identity column (${identityColumns.join(', ')}) or a config key path such as model.activation.share`;
  if (!keys.length) throw new AcafError(`--by: give ${hint}`, 2);
  for (const key of keys) {
    if (!isIdentityColumn(key) && !records.some((record) => at(record.config, key) !== undefined)) {
      throw new AcafError(`--by: no run's config has '${key}'; give ${hint}`, 2);
    }
  }
  return keys;
}

/** The config key path a series key reads (an identity column's own path where it has one). */
export function seriesKeyPath(key: string): string {
  return (isIdentityColumn(key) && identityPaths[key]) || key;
}

/** A run's value of one series key, as text (`(unset)` when its config does not have the key). */
function seriesValue(record: RunRecord, key: string): string {
  if (isIdentityColumn(key)) return String(identifyRun(record)[key]);
  const value = at(record.config, key);
  if (value === undefined) return '(unset)';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A key's name in legends: the last segment of a key path (`share` for `model.activation.share`). */
const shortName = (key: string) => key.split('.').pop()!;

/** The legend title of series split by `keys`. */
export const seriesTitle = (keys: SeriesKeys) => keys.map(shortName).join(', ');

/** The legend label of a run's series: its values of the keys, with each key named when there are several. */
export function seriesLabel(record: RunRecord, keys: SeriesKeys): string {
  if (keys.length === 1) return seriesValue(record, keys[0]);
  return keys.map((key) => `${shortName(key)}=${seriesValue(record, key)}`).join(', ');
}
