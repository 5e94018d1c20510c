import { Flags } from '@oclif/core';
import { AcafError } from '../errors';
import { IdentityColumn, identityColumns, NumericColumn, numericColumns } from './summary';

/** Flags shared by the commands that read runs (`export`, `plot`, `report`). */
export const runSelectionFlags = {
  all: Flags.boolean({ description: 'include unfinished runs (running, interrupted, failed)', default: false }),
  measure: Flags.string({
    description:
      "test columns to read: paper = the run's own evaluation (paper-faithful: the authors' 64-image batch), full = the whole test set with moving statistics (a paper-faithful run's full_* columns)",
    options: ['paper', 'full'],
    default: 'paper',
  }),
};

/** Flags shared by the commands that print tables (`export`, `report`). */
export const tableFlags = {
  metric: Flags.string({ description: `table metric, one of: ${numericColumns.join(', ')}`, default: 'test_accuracy' }),
  columns: Flags.string({ description: 'table columns', options: ['network', 'dataset'], default: 'network' }),
  reach: Flags.string({ description: 'test accuracy (fraction) for the epochs_to_reach column', default: '0.8' }),
};

/** Checks `--by name,seed,...` against the identity columns; an unknown key is an error listing the valid ones. */
export function parseGroupKeys(text: string): IdentityColumn[] {
  const keys = text
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
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

/** Checks `--reach` is a number. */
export function parseReach(text: string): number {
  const reach = Number(text);
  if (text.trim() === '' || !Number.isFinite(reach)) throw new AcafError(`--reach: expected a number, got '${text}'`, 2);
  return reach;
}
