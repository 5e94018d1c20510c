import * as fs from 'fs';
import * as path from 'path';
import type { ExperimentConfig } from '../config';
import { runPaths } from './layout';
import { recordsConfig } from './run-config';
import { readRunJson, RunStatus } from './run-json';

export interface PreviousRun {
  dir: string;
  status: RunStatus;
}

/**
 * The latest earlier run of exactly this resolved config under `<output.dir>/<name>/`, if any: matrices use it
 * to skip runs already complete and to resume interrupted ones. A run of a changed config does not count.
 */
export function findPreviousRun(config: ExperimentConfig): PreviousRun | undefined {
  const parent = path.join(config.output.dir, config.name);
  if (!fs.existsSync(parent)) return undefined;
  const candidates = fs
    .readdirSync(parent)
    .sort()
    .reverse()
    .map((entry) => path.join(parent, entry));
  for (const dir of candidates) {
    if (!fs.existsSync(runPaths(dir).run) || !recordsConfig(dir, config)) continue;
    try {
      return { dir, status: readRunJson(dir).status };
    } catch {
      continue; // an unreadable run.json is not a run we can build on
    }
  }
  return undefined;
}
