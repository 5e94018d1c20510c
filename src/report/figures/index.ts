import * as path from 'path';
import type { TopLevelSpec } from 'vega-lite';
import { IdentityColumn, identifyRun } from '../summary';
import type { RunRecord } from '../types';
import { activationShapesSpec, shapeComparisonSpec } from './activation-shapes';
import { convergenceSpec, SpreadBand } from './convergence';
import { SeriesKeys, seriesKeyPath, seriesLabel, seriesTitle } from './series';

/** One figure to write: `name` is its file name without extension. */
export interface Figure {
  name: string;
  title: string;
  spec: TopLevelSpec;
}

export interface FigureOptions {
  /** What the convergence curves are split by (`--by`): one mean curve per distinct value. */
  by: SeriesKeys;
  band: SpreadBand;
}

export const defaultFigureOptions: FigureOptions = { by: ['activation'], band: 'minmax' };

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** What makes runs one experiment, unless the curves are split by it. */
const experimentColumns: IdentityColumn[] = ['network', 'dataset', 'optimizer', 'protocol'];

/** Groups runs into experiments: same values of the experiment columns that the series do not split by. */
function experimentsOf(records: RunRecord[], by: SeriesKeys): { about: string; key: string; members: RunRecord[] }[] {
  const splitPaths = new Set(by.map(seriesKeyPath));
  const columns = experimentColumns.filter((column) => !splitPaths.has(seriesKeyPath(column)));
  const experiments = new Map<string, RunRecord[]>();
  for (const record of records) {
    const identity = identifyRun(record);
    const key = columns.map((column) => identity[column]).join(' ');
    experiments.set(key, [...(experiments.get(key) ?? []), record]);
  }
  return [...experiments].map(([key, members]) => {
    const identity = identifyRun(members[0]);
    const about = columns.map((column) => (column === 'protocol' ? `${identity.protocol} protocol` : String(identity[column])));
    return { key, members, about: about.join(', ') };
  });
}

/** Legend labels for runs compared side by side: the seed, with the config name when they differ, unique. */
function runLabels(runs: RunRecord[]): Map<RunRecord, string> {
  const names = new Set(runs.map((run) => identifyRun(run).name));
  const base = (run: RunRecord) => {
    const { name, seed } = identifyRun(run);
    return names.size > 1 ? `${name}, seed ${seed}` : `seed ${seed}`;
  };
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(base(run), (counts.get(base(run)) ?? 0) + 1);
  return new Map(runs.map((run) => [run, counts.get(base(run))! > 1 ? `${base(run)} (${path.basename(run.dir)})` : base(run)]));
}

/**
 * The figures for a set of runs. Runs of one experiment (same network, dataset, optimizer and protocol, except
 * what the series split by) share convergence figures, test accuracy and training loss per epoch with one mean
 * line per series and its spread over the runs as a band. Every run with adaptive call sites gets its learned
 * shapes at the first and last epoch; an activation learned by several runs of an experiment also gets a figure
 * with their curves side by side, site by site.
 */
export function buildFigures(records: RunRecord[], options: FigureOptions = defaultFigureOptions): Figure[] {
  const figures: Figure[] = [];
  for (const { key, members, about } of experimentsOf(records, options.by)) {
    const curves = (metric: 'test_accuracy' | 'train_loss', label: string, suffix: string) => {
      const title = `${label}: ${about}`;
      const spec = convergenceSpec(members, {
        metric,
        title,
        seriesTitle: seriesTitle(options.by),
        seriesOf: (record) => seriesLabel(record, options.by),
        band: options.band,
      });
      return { name: slug(`${key}-${suffix}`), title, spec };
    };
    figures.push(curves('test_accuracy', 'Test accuracy', 'test-accuracy'), curves('train_loss', 'Training loss', 'train-loss'));
    const types = new Set(members.flatMap((record) => record.activations.map((snapshot) => snapshot.type)));
    for (const type of types) {
      const runs = members.filter((record) => record.activations.some((snapshot) => snapshot.type === type && snapshot.epoch > 0));
      if (runs.length < 2) continue;
      const labels = runLabels(runs);
      const title = `Learned ${type} shapes per call site, ${runs.length} runs side by side: ${about}`;
      figures.push({
        name: slug(`${key}-${type}-shapes-compared`),
        title,
        spec: shapeComparisonSpec(runs, type, (record) => labels.get(record)!, title),
      });
    }
  }
  for (const record of records.filter((run) => run.activations.length)) {
    const { name, activation, seed } = identifyRun(record);
    const title = `Learned ${activation} shapes per call site: ${name}, seed ${seed}`;
    figures.push({
      name: slug(`${name}-seed${seed}-${path.basename(record.dir)}-activation-shapes`),
      title,
      spec: activationShapesSpec(record, title),
    });
  }
  return figures;
}
