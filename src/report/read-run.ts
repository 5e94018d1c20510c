import * as fs from 'fs';
import { Measure, readActivations, readJsonObject, readMetrics, readRunConfigMap, readRunJson, runPaths } from '../run-directory';
import type { RunRecord } from './types';

/** Reads a run directory's config, status, environment, per-epoch metrics (test columns of `measure`) and activation parameters. */
export function readRun(dir: string, measure: Measure = 'paper'): RunRecord {
  const files = runPaths(dir);
  return {
    dir,
    config: readRunConfigMap(dir),
    status: readRunJson(dir),
    env: fs.existsSync(files.env) ? readJsonObject(files.env) : {},
    metrics: readMetrics(files.metrics, measure),
    activations: fs.existsSync(files.activations) ? readActivations(files.activations) : [],
  };
}
