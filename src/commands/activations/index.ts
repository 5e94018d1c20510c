import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Args, Flags } from '@oclif/core';
import { stringify } from 'csv-stringify/sync';
import { AcafCommand } from '../../cli/base-command';
import { textTable } from '../../cli/text-table';
import {
  activationCurve,
  activationParameters,
  adaptiveLayers,
  ActivationParameterRow,
  DEFAULT_CURVE_RANGE,
} from '../../builders/activations/inspect';
import { buildModel } from '../../builders/model';
import { resolveConfig } from '../../config';
import { loadDataset } from '../../data/load';
import { AcafError } from '../../errors';
import { loadModel } from '../../io/model-files';
import { runPaths } from '../../run-directory';

export default class Activations extends AcafCommand {
  static override description =
    "Show the current parameters of every adaptive activation of a run's last checkpoint, or of a config's freshly built model";
  static override examples = [
    '<%= config.bin %> activations runs/quickstart/20250101-120000',
    '<%= config.bin %> activations runs/quickstart/20250101-120000 --csv > shapes.csv',
    '<%= config.bin %> activations configs/quickstart.yaml',
  ];
  static override args = { target: Args.string({ description: 'a run directory or a YAML experiment file', required: true }) };
  static override flags = {
    csv: Flags.boolean({ description: 'print each learned function over z in [-5, 5] as CSV site,type,z,f instead', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Activations);
    const model = await loadTarget(args.target);
    if (flags.csv) {
      const rows = adaptiveLayers(model).flatMap((layer) =>
        activationCurve(layer, {}, DEFAULT_CURVE_RANGE).map(({ z, f }) => ({ site: layer.name, type: layer.spec.type, z, f })),
      );
      process.stdout.write(stringify(rows, { header: true, columns: ['site', 'type', 'z', 'f'] }));
      return;
    }
    const rows = activationParameters(model);
    if (!rows.length) this.log('no adaptive activations in this model');
    else this.log(formatTable(rows));
  }
}

/** A run directory's checkpoints/last model, or the model a config builds (its initial parameters). */
async function loadTarget(target: string): Promise<tf.LayersModel> {
  if (!fs.existsSync(target)) throw new AcafError(`${target}: no such run directory or config file`, 2);
  if (fs.statSync(target).isDirectory()) {
    const checkpoint = runPaths(target).checkpoint('last');
    const modelFile = path.join(checkpoint, 'model.json');
    if (!fs.existsSync(modelFile)) throw new AcafError(`${target}: not a run directory with a checkpoint (${modelFile} is missing)`, 2);
    return loadModel(checkpoint);
  }
  const config = resolveConfig(target);
  if (config.task !== 'classification') {
    throw new AcafError(
      `${target}: has task: ${config.task}; give one of its run directories instead (their checkpoints hold the model)`,
      2,
    );
  }
  const dataset = await loadDataset(config.data, { cwd: process.cwd(), seed: config.seed });
  return buildModel(config.model, { inputShape: dataset.shape, numClasses: dataset.classes.length }).model;
}

/** One line per site: each parameter's mean, with its min..max where the site has several values. */
function formatTable(rows: ActivationParameterRow[]): string {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.parameters)))];
  const cell = (summary: ActivationParameterRow['parameters'][string] | undefined) => {
    if (!summary) return '';
    const mean = summary.mean.toFixed(4);
    return summary.size === 1 ? mean : `${mean} (${summary.min.toFixed(4)}..${summary.max.toFixed(4)})`;
  };
  const cells = rows.map((row) => [row.site, row.type, row.share, ...names.map((name) => cell(row.parameters[name]))]);
  return textTable(['site', 'type', 'share', ...names], cells);
}
