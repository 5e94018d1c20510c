import * as fs from 'fs';
import * as path from 'path';
import { configToYaml, ExperimentConfig } from '../config';
import { runFiles } from './run-dir';
import type { RunStatus } from './run-record';

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
  const wanted = configToYaml(config);
  const candidates = fs
    .readdirSync(parent)
    .sort()
    .reverse()
    .map((entry) => path.join(parent, entry));
  for (const dir of candidates) {
    const files = runFiles(dir);
    if (!fs.existsSync(files.run) || !fs.existsSync(files.config)) continue;
    if (fs.readFileSync(files.config, 'utf8') !== wanted) continue;
    try {
      const { status } = JSON.parse(fs.readFileSync(files.run, 'utf8')) as { status: RunStatus };
      return { dir, status };
    } catch {
      continue; // an unreadable run.json is not a run we can build on
    }
  }
  return undefined;
}
