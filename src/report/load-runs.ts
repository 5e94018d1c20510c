import { AcafError } from '../errors';
import type { Measure } from '../run-directory';
import { discoverRuns, skippedSummary } from './discover';
import { readRun } from './read-run';
import type { RunRecord } from './types';

export interface LoadedRuns {
  records: RunRecord[];
  /** One line to print on stderr when runs were skipped. */
  skippedNote?: string;
}

/**
 * Discovers and reads the runs under `paths` (their test columns from `measure`); finding none is an error saying
 * where we looked and what was skipped.
 */
export function loadRuns(paths: string[], options: { all?: boolean; measure?: Measure } = {}): LoadedRuns {
  const all = options.all ?? false;
  const { runs, skipped } = discoverRuns(paths, { all });
  const skippedNote = skippedSummary(skipped, all);
  if (!runs.length)
    throw new AcafError(`no ${all ? '' : 'finished '}runs found under ${paths.join(', ')}${skippedNote ? `; ${skippedNote}` : ''}`);
  return { records: runs.map((dir) => readRun(dir, options.measure)), skippedNote };
}
