import type { TopLevelSpec } from 'vega-lite';
import { activationCurve } from '../../builders/activations/inspect';
import type { ActivationSnapshot, RunRecord } from '../types';

/** One sample of a learned curve: f(z) at one site and epoch. */
export interface ShapePoint {
  site: string;
  epoch: string;
  z: number;
  value: number;
}

/** The run's constants (numeric options such as a slope) for an activation type, when its config uses that type. */
function configuredConstants(record: RunRecord, type: string): Record<string, number> {
  const model = record.config.model as { activation?: Record<string, unknown> } | undefined;
  if (model?.activation?.type !== type) return {};
  return Object.fromEntries(Object.entries(model.activation).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

/** f(z), z in [-5, 5], at one site and epoch, evaluated with each parameter's mean over the site's parameter set. */
function siteCurve(record: RunRecord, snapshot: ActivationSnapshot): { z: number; f: number }[] {
  const means = Object.fromEntries(Object.entries(snapshot.params).map(([name, stats]) => [name, stats.mean]));
  return activationCurve(snapshot.type, { ...configuredConstants(record, snapshot.type), ...means });
}

const epochLabel = (epoch: number) => (epoch === 0 ? 'epoch 0 (initial)' : `epoch ${epoch}`);

/** The first and last epoch that a run recorded its activation parameters at. */
function epochRange(snapshots: ActivationSnapshot[]): { first: number; last: number } {
  const epochs = snapshots.map((snapshot) => snapshot.epoch);
  return { first: Math.min(...epochs), last: Math.max(...epochs) };
}

/** Every adaptive call site's curve at the first and last recorded epoch (0 = initial values). */
export function shapePoints(record: RunRecord): ShapePoint[] {
  if (!record.activations.length) return [];
  const { first, last } = epochRange(record.activations);
  const wanted = record.activations.filter((snapshot) => snapshot.epoch === first || (snapshot.epoch === last && last !== first));
  return wanted.flatMap((snapshot) =>
    siteCurve(record, snapshot).map(({ z, f }) => ({ site: snapshot.site, epoch: epochLabel(snapshot.epoch), z, value: f })),
  );
}

/** One sample of a curve in a comparison of runs: f(z) at one site, learned by one run (or the initial curve). */
export interface ComparisonPoint {
  site: string;
  curve: string;
  z: number;
  value: number;
}

/**
 * One activation type's curves at each run's last recorded epoch, site by site, one line per run; the first run's
 * initial curve (epoch 0) is drawn too, as `initial`.
 */
export function comparisonPoints(records: RunRecord[], type: string, runLabel: (record: RunRecord) => string): ComparisonPoint[] {
  const points: ComparisonPoint[] = [];
  let initialDrawn = false;
  for (const record of records) {
    const snapshots = record.activations.filter((snapshot) => snapshot.type === type);
    if (!snapshots.length) continue;
    const { first, last } = epochRange(snapshots);
    const add = (snapshot: ActivationSnapshot, curve: string) =>
      points.push(...siteCurve(record, snapshot).map(({ z, f }) => ({ site: snapshot.site, curve, z, value: f })));
    if (!initialDrawn && first === 0) {
      for (const snapshot of snapshots.filter((snapshot) => snapshot.epoch === 0)) add(snapshot, 'initial');
      initialDrawn = true;
    }
    if (last > 0) for (const snapshot of snapshots.filter((snapshot) => snapshot.epoch === last)) add(snapshot, runLabel(record));
  }
  return points;
}

/** Small multiples: one panel per call site, the curve at the first and last epoch in each. */
export function activationShapesSpec(record: RunRecord, title: string): TopLevelSpec {
  return siteMultiples(shapePoints(record), title, 'epoch');
}

/** Small multiples: one panel per call site, one run's learned curve per line (the runs side by side). */
export function shapeComparisonSpec(
  records: RunRecord[],
  type: string,
  runLabel: (record: RunRecord) => string,
  title: string,
): TopLevelSpec {
  return siteMultiples(comparisonPoints(records, type, runLabel), title, 'curve');
}

/** Curves of f(z) faceted by call site (in the order the sites come), one line per value of `lineField`. */
function siteMultiples(points: { site: string; z: number; value: number }[], title: string, lineField: string): TopLevelSpec {
  const sites = [...new Set(points.map((point) => point.site))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: points },
    facet: { field: 'site', type: 'nominal', title: 'call site', sort: sites },
    columns: Math.min(4, sites.length),
    spec: {
      width: 160,
      height: 120,
      mark: 'line',
      encoding: {
        x: { field: 'z', type: 'quantitative', title: 'z' },
        y: { field: 'value', type: 'quantitative', title: 'f(z)' },
        color: { field: lineField, type: 'nominal', title: null },
        strokeDash: { field: lineField, type: 'nominal', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
