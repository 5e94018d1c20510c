import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';
import { readRunJson, REPORTABLE_RUN_FILES, runPaths } from '../run-directory';

export interface SkippedRun {
  dir: string;
  reason: string;
}

export interface DiscoveredRuns {
  /** Run directories to report on, sorted. */
  runs: string[];
  /** Run directories left out: incomplete files, or a status other than `complete` (unless `all`). */
  skipped: SkippedRun[];
}

/**
 * Finds every run directory at or under the given paths (a runs root, a config-name folder, or run dirs).
 * A directory holding `run.json` is a run; it counts when it also has `config.yaml` and `metrics.csv` and
 * finished (`status: complete`), or with `all` whatever its status.
 */
export function discoverRuns(paths: string[], options: { all?: boolean } = {}): DiscoveredRuns {
  const found = new Set<string>();
  for (const start of paths) {
    if (!fs.existsSync(start)) throw new AcafError(`no such file or directory: ${start}`);
    if (!fs.statSync(start).isDirectory()) throw new AcafError(`${start}: expected a directory of runs`);
    collectRunDirs(path.normalize(start), found);
  }
  const runs: string[] = [];
  const skipped: SkippedRun[] = [];
  for (const dir of [...found].sort()) {
    const reason = whyIncomplete(dir, options.all ?? false);
    if (reason) skipped.push({ dir, reason });
    else runs.push(dir);
  }
  return { runs, skipped };
}

function collectRunDirs(dir: string, found: Set<string>): void {
  if (fs.existsSync(runPaths(dir).run)) {
    found.add(dir);
    return; // a run's own subfolders (checkpoints/) hold no runs
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) collectRunDirs(path.join(dir, entry.name), found);
  }
}

function whyIncomplete(dir: string, all: boolean): string | undefined {
  const missing = REPORTABLE_RUN_FILES.filter((file) => !fs.existsSync(path.join(dir, file)));
  if (missing.length) return `missing ${missing.join(', ')}`;
  if (all) return undefined;
  let status: unknown;
  try {
    status = readRunJson(dir).status;
  } catch {
    return 'unreadable run.json';
  }
  return status === 'complete' ? undefined : `status ${String(status)}`;
}

/** One line saying how many runs were skipped and why, for commands to print; undefined when none were. */
export function skippedSummary(skipped: SkippedRun[], all: boolean): string | undefined {
  if (!skipped.length) return undefined;
  const hint = all ? '' : ' (use --all to include unfinished runs)';
  const examples = skipped
    .slice(0, 3)
    .map((run) => `${run.dir}: ${run.reason}`)
    .join('; ');
  const more = skipped.length > 3 ? `; and ${skipped.length - 3} more` : '';
  return `skipped ${skipped.length} incomplete run${skipped.length === 1 ? '' : 's'}${hint}: ${examples}${more}`;
}
