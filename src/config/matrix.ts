import { ConfigError, ConfigIssue } from '../errors';
import { isPlainObject } from './merge';
import type { Provenance } from './provenance';
import { findUnsafeValue, prototypeKeyIn, prototypeKeyMessage } from './unsafe-values';

/** One run of a matrix: its name suffix and the `key.path -> value` settings that make it. */
export interface MatrixEntry {
  suffix: string;
  settings: [string, unknown][];
}

/**
 * Expands `matrix:` (key paths -> lists of values) into runs: the cartesian product by default, or the
 * i-th values of every list together with `mode: zip`. Without a matrix there is one run with no settings.
 * An axis may also be a map of labels to values (`{ all: [...], lower: [...] }`): runs are then named by label.
 */
export function expandMatrix(matrix: unknown, provenance: Provenance): MatrixEntry[] {
  if (matrix === undefined) return [{ suffix: '', settings: [] }];
  const where = provenance.get('matrix');
  const fail = (path: string, message: string): never => {
    const issue: ConfigIssue = { ...(provenance.get(path) ?? where), path, message };
    throw new ConfigError([issue]);
  };
  if (!isPlainObject(matrix)) return fail('matrix', 'must be a map of key paths to lists of values');
  const { mode = 'product', ...axes } = matrix;
  if (mode !== 'product' && mode !== 'zip') fail('matrix.mode', `expected 'product' or 'zip', got ${JSON.stringify(mode)}`);
  const entries = Object.entries(axes);
  if (entries.length === 0) fail('matrix', 'needs at least one key path with a list of values');
  const lists = entries.map(([key, values]): [string, Labelled[]] => {
    const forbiddenKey = prototypeKeyIn(key);
    if (forbiddenKey) fail(`matrix.${key}`, prototypeKeyMessage(forbiddenKey));
    const unsafe = findUnsafeValue(values, `matrix.${key}`);
    if (unsafe) fail(unsafe.path, unsafe.message);
    if (isPlainObject(values) && Object.keys(values).length)
      return [key, Object.entries(values).map(([label, value]) => ({ label, value }))];
    if (!Array.isArray(values) || values.length === 0)
      fail(`matrix.${key}`, 'must be a non-empty list of values, or a map of labels to values');
    return [key, (values as unknown[]).map((value) => ({ label: slug(value), value }))];
  });
  if (mode === 'zip') {
    const length = lists[0][1].length;
    const uneven = lists.find(([, values]) => values.length !== length);
    if (uneven)
      fail(`matrix.${uneven[0]}`, `zip needs lists of equal length: ${lists[0][0]} has ${length}, ${uneven[0]} has ${uneven[1].length}`);
    return Array.from({ length }, (_, i) => entry(lists.map(([key, values]) => [key, values[i]])));
  }
  return lists
    .reduce<[string, Labelled][][]>(
      (combos, [key, values]) => combos.flatMap((combo) => values.map((value) => [...combo, [key, value] as [string, Labelled]])),
      [[]],
    )
    .map(entry);
}

interface Labelled {
  label: string;
  value: unknown;
}

function entry(settings: [string, Labelled][]): MatrixEntry {
  return {
    suffix: settings.map(([key, { label: valueLabel }]) => `${label(key)}_${slug(valueLabel)}`).join('-'),
    settings: settings.map(([key, { value }]) => [key, value]),
  };
}

/** The readable part of a key path: its last segment, or the one before when the last is `type`. */
function label(keyPath: string): string {
  const segments = keyPath.split('.');
  const last = segments[segments.length - 1];
  return last === 'type' && segments.length > 1 ? segments[segments.length - 2] : last;
}

/** A value as a name part; a plugin setting (`{ type: adam, lr: ... }`) is named by its type. */
function slug(value: unknown): string {
  const text =
    isPlainObject(value) && typeof value.type === 'string' ? value.type : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[^A-Za-z0-9.]+/g, '.').replace(/^\.+|\.+$/g, '') || 'x';
}
