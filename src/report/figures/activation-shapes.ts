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

/**
 * f(z), z in [-5, 5], of every adaptive call site at the first and last recorded epoch (0 = initial values),
 * evaluated with each parameter's mean over the site's parameter set.
 */
export function shapePoints(record: RunRecord): ShapePoint[] {
  if (!record.activations.length) return [];
  const epochs = record.activations.map((snapshot) => snapshot.epoch);
  const first = Math.min(...epochs);
  const last = Math.max(...epochs);
  const label = (epoch: number) => (epoch === 0 ? 'epoch 0 (initial)' : `epoch ${epoch}`);
  const curve = (snapshot: ActivationSnapshot) => {
    const means = Object.fromEntries(Object.entries(snapshot.params).map(([name, stats]) => [name, stats.mean]));
    return activationCurve(snapshot.type, { ...configuredConstants(record, snapshot.type), ...means }).map(({ z, f }) => ({
      site: snapshot.site,
      epoch: label(snapshot.epoch),
      z,
      value: f,
    }));
  };
  const wanted = record.activations.filter((snapshot) => snapshot.epoch === first || (snapshot.epoch === last && last !== first));
  return wanted.flatMap(curve);
}

/** Small multiples: one panel per call site, the curve at the first and last epoch in each. */
export function activationShapesSpec(record: RunRecord, title: string): TopLevelSpec {
  const points = shapePoints(record);
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
        color: { field: 'epoch', type: 'nominal', title: null },
        strokeDash: { field: 'epoch', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
