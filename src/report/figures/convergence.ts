import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../types';

export type ConvergenceMetric = 'test_accuracy' | 'train_loss';

const axisTitles: Record<ConvergenceMetric, string> = { test_accuracy: 'test accuracy', train_loss: 'training loss' };

/** One point of a convergence curve: a metric at an epoch, averaged over the runs (seeds) of one activation. */
export interface ConvergencePoint {
  activation: string;
  epoch: number;
  value: number;
  runs: number;
}

function activationOf(record: RunRecord): string {
  const model = record.config.model as { activation?: { type?: unknown } } | undefined;
  return String(model?.activation?.type ?? '');
}

/** Per activation and epoch, the mean of `metric` over the runs that recorded it (runs of different lengths are fine). */
export function convergencePoints(records: RunRecord[], metric: ConvergenceMetric): ConvergencePoint[] {
  const sums = new Map<string, ConvergencePoint>();
  for (const record of records) {
    for (const row of record.metrics) {
      const value = row[metric];
      if (value === undefined || Number.isNaN(value)) continue;
      const key = JSON.stringify([activationOf(record), row.epoch]);
      const point = sums.get(key) ?? { activation: activationOf(record), epoch: row.epoch, value: 0, runs: 0 };
      point.value += value;
      point.runs += 1;
      sums.set(key, point);
    }
  }
  return [...sums.values()]
    .map((point) => ({ ...point, value: point.value / point.runs }))
    .sort((a, b) => a.activation.localeCompare(b.activation) || a.epoch - b.epoch);
}

/** The paper's convergence figure: `metric` per epoch, one line per activation, each the mean over its seeds. */
export function convergenceSpec(records: RunRecord[], metric: ConvergenceMetric, title: string): TopLevelSpec {
  const points = convergencePoints(records, metric);
  const epochs = points.map((point) => point.epoch);
  // whole epochs only: at most one tick per epoch
  const tickCount = Math.max(1, Math.min(10, Math.max(...epochs) - Math.min(...epochs)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 280,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickCount, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: `${axisTitles[metric]} (mean over seeds)`, scale: { zero: false } },
      color: { field: 'activation', type: 'nominal', title: 'activation' },
      tooltip: [{ field: 'activation' }, { field: 'epoch' }, { field: 'value', format: '.4f' }, { field: 'runs', title: 'runs averaged' }],
    },
  };
}
