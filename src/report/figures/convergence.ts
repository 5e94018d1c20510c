import type { TopLevelSpec } from 'vega-lite';
import { mean, sampleStd } from '../aggregate';
import type { RunRecord } from '../types';

export type ConvergenceMetric = 'test_accuracy' | 'train_loss';

/** The spread drawn around each mean curve: the runs' min to max, mean ± one sample std, or none. */
export const spreadBands = ['minmax', 'std', 'none'] as const;
export type SpreadBand = (typeof spreadBands)[number];

const axisTitles: Record<ConvergenceMetric, string> = { test_accuracy: 'test accuracy', train_loss: 'training loss' };
const bandDescriptions: Record<SpreadBand, string> = {
  minmax: 'band: min to max over runs',
  std: 'band: mean ± 1 sample std over runs',
  none: 'no band',
};

/** One point of a convergence curve: a metric at an epoch over the runs (seeds) of one series. */
export interface ConvergencePoint {
  series: string;
  epoch: number;
  mean: number;
  /** The band's edges (equal to the mean for a single run, or for `none`). */
  lower: number;
  upper: number;
  runs: number;
}

/** Per series and epoch, the mean of `metric` over the runs that recorded it and the band's edges. */
export function convergencePoints(
  records: RunRecord[],
  metric: ConvergenceMetric,
  seriesOf: (record: RunRecord) => string,
  band: SpreadBand,
): ConvergencePoint[] {
  const values = new Map<string, { series: string; epoch: number; values: number[] }>();
  for (const record of records) {
    for (const row of record.metrics) {
      const value = row[metric];
      if (value === undefined || Number.isNaN(value)) continue;
      const key = JSON.stringify([seriesOf(record), row.epoch]);
      const entry = values.get(key) ?? { series: seriesOf(record), epoch: row.epoch, values: [] };
      entry.values.push(value);
      values.set(key, entry);
    }
  }
  return [...values.values()]
    .map(({ series, epoch, values: runValues }) => {
      const centre = mean(runValues);
      const std = sampleStd(runValues) ?? 0;
      const [lower, upper] =
        band === 'minmax'
          ? [Math.min(...runValues), Math.max(...runValues)]
          : band === 'std'
            ? [centre - std, centre + std]
            : [centre, centre];
      return { series, epoch, mean: centre, lower, upper, runs: runValues.length };
    })
    .sort((a, b) => a.series.localeCompare(b.series) || a.epoch - b.epoch);
}

export interface ConvergenceOptions {
  metric: ConvergenceMetric;
  title: string;
  /** Legend title: what the series are (`activation`, `optimizer, seed`...). */
  seriesTitle: string;
  seriesOf: (record: RunRecord) => string;
  band: SpreadBand;
}

/** The paper's convergence figure: `metric` per epoch, one mean line per series with its spread as a band. */
export function convergenceSpec(records: RunRecord[], options: ConvergenceOptions): TopLevelSpec {
  const points = convergencePoints(records, options.metric, options.seriesOf, options.band);
  const epochs = points.map((point) => point.epoch);
  // whole epochs only: at most one tick per epoch
  const tickCount = Math.max(1, Math.min(10, Math.max(...epochs) - Math.min(...epochs)));
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickCount, format: 'd' } } as const;
  const color = { field: 'series', type: 'nominal', title: options.seriesTitle, legend: { labelLimit: 400 } } as const;
  const runsPerSeries = Math.max(...points.map((point) => point.runs));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: options.title,
      subtitle: `line: mean over up to ${runsPerSeries} runs per ${options.seriesTitle}; ${bandDescriptions[options.band]}`,
    },
    width: 420,
    height: 280,
    data: { values: points },
    layer: [
      ...(options.band === 'none'
        ? []
        : [
            {
              mark: { type: 'area', opacity: 0.2 },
              encoding: { x, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' }, color },
            } as const,
          ]),
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: `${axisTitles[options.metric]} (mean over runs)`, scale: { zero: false } },
          color,
          tooltip: [
            { field: 'series', title: options.seriesTitle },
            { field: 'epoch' },
            { field: 'mean', format: '.4f' },
            { field: 'lower', format: '.4f' },
            { field: 'upper', format: '.4f' },
            { field: 'runs', title: 'runs averaged' },
          ],
        },
      },
    ],
  };
}
