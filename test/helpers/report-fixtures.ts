import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';

/** Made-up per-epoch numbers for fixture runs: test data for the reporting code, not results of any training. */
export interface FixtureEpoch {
  test_accuracy: number;
  train_loss?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  seconds?: number;
}

export interface FixtureRun {
  name: string;
  activation: string;
  seed: number;
  network?: string;
  dataset?: string;
  optimizer?: string;
  status?: string;
  epochs: FixtureEpoch[];
  /** activations.csv rows: epoch, site and parameter means. */
  sites?: { epoch: number; site: string; params: Record<string, number> }[];
  timestamp?: string;
}

const parameterNames = ['a', 'b', 'c', 'd', 'alpha', 'beta', 'slope'];

/** Writes a run directory in the trainer's format (docs/design.md) and returns its path. */
export function writeFixtureRun(root: string, run: FixtureRun): string {
  const dir = path.join(root, run.name, run.timestamp ?? `20240101-00000${run.seed}`);
  fs.mkdirSync(dir, { recursive: true });
  const config = {
    name: run.name,
    seed: run.seed,
    backend: 'cpu',
    data: { type: run.dataset ?? 'synthetic' },
    model: { network: { type: run.network ?? 'mlp' }, activation: { type: run.activation, share: 'layer' }, placement: [] },
    train: { epochs: run.epochs.length, batchSize: 8, optimizer: { type: run.optimizer ?? 'sgd' }, schedule: { type: 'constant' } },
    output: { dir: root },
  };
  fs.writeFileSync(path.join(dir, 'config.yaml'), stringify(config));
  fs.writeFileSync(path.join(dir, 'env.json'), JSON.stringify({ backend: { name: 'cpu', reason: 'fixture' }, seed: run.seed }));
  fs.writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({ status: run.status ?? 'complete', epochsCompleted: run.epochs.length, protocol: 'corrected' }),
  );
  const header = 'epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,test_top5,precision,recall,f1,seconds';
  const rows = run.epochs.map((epoch, index) =>
    [
      index + 1,
      0.1,
      epoch.train_loss ?? 1 / (index + 1),
      0.5,
      0.9,
      epoch.test_accuracy,
      '',
      epoch.precision ?? 0.5,
      epoch.recall ?? 0.5,
      epoch.f1 ?? 0.5,
      epoch.seconds ?? 2,
    ].join(','),
  );
  fs.writeFileSync(path.join(dir, 'metrics.csv'), [header, ...rows, ''].join('\n'));
  if (run.sites) {
    const siteHeader = ['epoch', 'site', 'type', 'share', ...parameterNames.flatMap((p) => [p, `${p}_min`, `${p}_max`])].join(',');
    const siteRows = run.sites.map(({ epoch, site, params }) =>
      [epoch, site, run.activation, 'layer', ...parameterNames.flatMap((p) => Array(3).fill(p in params ? String(params[p]) : ''))].join(
        ',',
      ),
    );
    fs.writeFileSync(path.join(dir, 'activations.csv'), [siteHeader, ...siteRows, ''].join('\n'));
  }
  return dir;
}

/**
 * 2 activations x 2 seeds on one network, with test accuracies chosen so means and stds are easy by hand:
 * relu final 0.80 and 0.84 (mean 0.82, std 0.028284), as final 0.86 and 0.90 (mean 0.88, std 0.028284).
 */
export function writeFixtureMatrix(root: string): string[] {
  const initial = { a: 1, b: 1, c: 0, d: 0 };
  const asSites = [
    { epoch: 0, site: 'block1.act1', params: initial },
    { epoch: 0, site: 'block2.act1', params: initial },
    { epoch: 3, site: 'block1.act1', params: { a: 2, b: 1.5, c: 0.1, d: -0.2 } },
    { epoch: 3, site: 'block2.act1', params: { a: 0.5, b: 2, c: 0, d: 0.3 } },
  ];
  return [
    writeFixtureRun(root, {
      name: 'tiny-relu',
      activation: 'relu',
      seed: 1,
      epochs: [{ test_accuracy: 0.5 }, { test_accuracy: 0.7 }, { test_accuracy: 0.8 }],
    }),
    writeFixtureRun(root, {
      name: 'tiny-relu',
      activation: 'relu',
      seed: 2,
      epochs: [{ test_accuracy: 0.6 }, { test_accuracy: 0.85 }, { test_accuracy: 0.84 }],
    }),
    writeFixtureRun(root, {
      name: 'tiny-as',
      activation: 'as',
      seed: 1,
      epochs: [{ test_accuracy: 0.7 }, { test_accuracy: 0.82 }, { test_accuracy: 0.86 }],
      sites: asSites,
    }),
    writeFixtureRun(root, {
      name: 'tiny-as',
      activation: 'as',
      seed: 2,
      epochs: [{ test_accuracy: 0.75 }, { test_accuracy: 0.88 }, { test_accuracy: 0.9 }],
    }),
  ];
}
