import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { isPlainObject } from '../config/merge';
import { AcafError } from '../errors';
import { numberCell, readCsv } from './csv';
import type { ActivationSnapshot, EpochMetrics, ParameterStats, RunRecord } from './types';

const metricColumns = [
  'lr',
  'train_loss',
  'train_accuracy',
  'test_loss',
  'test_accuracy',
  'test_top5',
  'precision',
  'recall',
  'f1',
  'seconds',
] as const;
const snapshotColumns = new Set(['epoch', 'site', 'type', 'share']);

/** Reads a run directory's config, status, environment, per-epoch metrics and activation parameters. */
export function readRun(dir: string): RunRecord {
  const activationsFile = path.join(dir, 'activations.csv');
  const envFile = path.join(dir, 'env.json');
  return {
    dir,
    config: readYamlMap(path.join(dir, 'config.yaml')),
    status: readJsonMap(path.join(dir, 'run.json')),
    env: fs.existsSync(envFile) ? readJsonMap(envFile) : {},
    metrics: readMetrics(path.join(dir, 'metrics.csv')),
    activations: fs.existsSync(activationsFile) ? readActivations(activationsFile) : [],
  };
}

function readMetrics(file: string): EpochMetrics[] {
  return readCsv(file).map((row, index) => {
    const where = `${file} row ${index + 1}`;
    const epoch = numberCell(row, 'epoch', where);
    if (epoch === undefined) throw new AcafError(`${where}: missing 'epoch'`);
    const metrics: EpochMetrics = { epoch };
    for (const column of metricColumns) metrics[column] = numberCell(row, column, where);
    return metrics;
  });
}

/** Parameter columns come as `p`, `p_min`, `p_max`; a site lacking `p` leaves them empty. */
function readActivations(file: string): ActivationSnapshot[] {
  return readCsv(file).map((row, index) => {
    const where = `${file} row ${index + 1}`;
    const epoch = numberCell(row, 'epoch', where);
    if (epoch === undefined || !row.site) throw new AcafError(`${where}: missing 'epoch' or 'site'`);
    const params: Record<string, ParameterStats> = {};
    for (const column of Object.keys(row)) {
      if (snapshotColumns.has(column) || /_(min|max)$/.test(column)) continue;
      const mean = numberCell(row, column, where);
      if (mean === undefined) continue;
      params[column] = { mean, min: numberCell(row, `${column}_min`, where), max: numberCell(row, `${column}_max`, where) };
    }
    return { epoch, site: row.site, type: row.type ?? '', share: row.share ?? '', params };
  });
}

function readJsonMap(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isPlainObject(value)) throw new AcafError(`${file}: expected a JSON object`);
  return value;
}

function readYamlMap(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isPlainObject(value)) throw new AcafError(`${file}: expected a YAML map`);
  return value;
}
