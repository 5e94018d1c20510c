import { convergence } from './statistics';
import type { EpochMetrics, RunRecord } from './types';

/** Columns that say which experiment a run is (what `--by` groups on). */
export const identityColumns = ['name', 'network', 'activation', 'optimizer', 'dataset', 'seed', 'backend', 'protocol', 'status'] as const;
export type IdentityColumn = (typeof identityColumns)[number];

/** Columns measured on a run (what aggregation averages). Final values keep metrics.csv's names. */
export const numericColumns = [
  'epochs',
  'test_accuracy',
  'best_test_accuracy',
  'precision',
  'recall',
  'f1',
  'best_epoch',
  'first_epoch_accuracy',
  'epochs_to_reach',
  'epochs_to_95_best',
  'accuracy_auc',
  'wall_seconds',
] as const;
export type NumericColumn = (typeof numericColumns)[number];

/** Numeric columns holding a fraction in [0, 1]; tables print them as percentages. */
export const fractionColumns: ReadonlySet<NumericColumn> = new Set([
  'test_accuracy',
  'best_test_accuracy',
  'precision',
  'recall',
  'f1',
  'first_epoch_accuracy',
  'accuracy_auc',
]);

/** Numeric columns where smaller is better (for bolding the best cell). */
export const lowerIsBetterColumns: ReadonlySet<NumericColumn> = new Set([
  'best_epoch',
  'epochs_to_reach',
  'epochs_to_95_best',
  'wall_seconds',
]);

/**
 * One tidy row per run. Missing values (a run without epochs, an accuracy never reached) are `undefined`.
 * `experiment` tells which runs are the same experiment apart from the seed; `started` orders re-runs.
 */
export type RunSummary = { run: string; reach: number; experiment: string; started: string } & Record<IdentityColumn, string | number> &
  Record<NumericColumn, number | undefined>;

/**
 * Summarises a run: who it is (config name, network, activation...) and how it did (final and best test
 * accuracy, final precision/recall/F1, epoch of best, and convergence: accuracy after the first epoch, epochs to
 * reach `reach` and to reach 95% of the run's best, the area under the accuracy curve per epoch; wall time).
 * `protocol` is the config's `protocol` key, else run.json's, else `corrected` (the default).
 */
export function summarizeRun(record: RunRecord, reach: number): RunSummary {
  const { metrics } = record;
  // with eval.every > 1 some epochs have no test columns: final test metrics come from the last evaluated epoch
  const final = [...metrics].reverse().find((row) => row.test_accuracy !== undefined);
  const best = bestEpoch(metrics);
  const curve = metrics.flatMap((row) =>
    row.test_accuracy === undefined || Number.isNaN(row.test_accuracy) ? [] : [{ epoch: row.epoch, accuracy: row.test_accuracy }],
  );
  const { epochsTo95Best, accuracyAuc } = convergence(curve);
  return {
    run: record.dir,
    experiment: experimentKey(record.config),
    started: text(record.status.startedAt) || record.dir,
    ...identifyRun(record),
    epochs: metrics.length,
    test_accuracy: final?.test_accuracy,
    best_test_accuracy: best?.test_accuracy,
    precision: final?.precision,
    recall: final?.recall,
    f1: final?.f1,
    best_epoch: best?.epoch,
    first_epoch_accuracy: metrics[0]?.test_accuracy,
    reach,
    epochs_to_reach: metrics.find((row) => row.test_accuracy !== undefined && row.test_accuracy >= reach)?.epoch,
    epochs_to_95_best: epochsTo95Best,
    accuracy_auc: accuracyAuc,
    wall_seconds: metrics.reduce((sum, row) => sum + (row.seconds ?? 0), 0),
  };
}

/** Which experiment a run is: config name, network, activation, optimizer, dataset, seed, backend, protocol, status. */
export function identifyRun(record: RunRecord): Record<IdentityColumn, string | number> {
  const { config } = record;
  return {
    name: text(config.name),
    network: text(at(config, 'model.network.type')),
    activation: text(at(config, 'model.activation.type')),
    optimizer: text(at(config, 'train.optimizer.type')),
    dataset: text(at(config, 'data.type')),
    seed: typeof config.seed === 'number' ? config.seed : text(config.seed),
    backend: backendName(record),
    protocol: text(config.protocol ?? record.status.protocol ?? 'corrected'),
    status: text(record.status.status),
  };
}

/** Keys that do not change what a run measures: the seed, and the names and places that follow from it. */
const notExperiment = new Set(['seed', 'name', 'description', 'output']);

/** The resolved config without the seed, as canonical JSON (keys sorted): equal for runs of one experiment. */
function experimentKey(config: Record<string, unknown>): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
  };
  return JSON.stringify(canonical(Object.fromEntries(Object.entries(config).filter(([key]) => !notExperiment.has(key)))));
}

/** The epoch with the highest test accuracy; the earliest one on ties. */
function bestEpoch(metrics: EpochMetrics[]): EpochMetrics | undefined {
  let best: EpochMetrics | undefined;
  for (const row of metrics) {
    if (row.test_accuracy === undefined || Number.isNaN(row.test_accuracy)) continue;
    if (!best || row.test_accuracy > best.test_accuracy!) best = row;
  }
  return best;
}

/** The backend the run actually used (env.json), else the one its config asked for. */
function backendName(record: RunRecord): string {
  const used = record.env.backend;
  if (typeof used === 'string') return used;
  if (typeof used === 'object' && used !== null && typeof (used as { name?: unknown }).name === 'string') {
    return (used as { name: string }).name;
  }
  return text(record.config.backend);
}

/** The value at a dotted key path of a config (`model.activation.type`), or undefined. */
export function at(value: Record<string, unknown>, keyPath: string): unknown {
  let current: unknown = value;
  for (const key of keyPath.split('.')) current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}
