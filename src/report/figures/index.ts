import * as path from 'path';
import type { TopLevelSpec } from 'vega-lite';
import { identifyRun } from '../summary';
import type { RunRecord } from '../types';
import { activationShapesSpec } from './activation-shapes';
import { convergenceSpec } from './convergence';

/** One figure to write: `name` is its file name without extension. */
export interface Figure {
  name: string;
  title: string;
  spec: TopLevelSpec;
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The figures for a set of runs. Runs of one experiment (same network, dataset, optimizer and protocol) share
 * convergence figures, test accuracy and training loss per epoch with one line per activation (mean over seeds);
 * every run with adaptive call sites gets its learned activation shapes at the first and last epoch.
 */
export function buildFigures(records: RunRecord[]): Figure[] {
  const experiments = new Map<string, RunRecord[]>();
  for (const record of records) {
    const { network, dataset, optimizer, protocol } = identifyRun(record);
    const key = [network, dataset, optimizer, protocol].join(' ');
    experiments.set(key, [...(experiments.get(key) ?? []), record]);
  }
  const figures: Figure[] = [];
  for (const [key, members] of experiments) {
    const { network, dataset, optimizer, protocol } = identifyRun(members[0]);
    const about = `${network} on ${dataset}, ${optimizer}, ${protocol} protocol`;
    figures.push(
      {
        name: slug(`${key}-test-accuracy`),
        title: `Test accuracy: ${about}`,
        spec: convergenceSpec(members, 'test_accuracy', `Test accuracy: ${about}`),
      },
      {
        name: slug(`${key}-train-loss`),
        title: `Training loss: ${about}`,
        spec: convergenceSpec(members, 'train_loss', `Training loss: ${about}`),
      },
    );
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
