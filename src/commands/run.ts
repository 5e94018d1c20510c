import * as fs from 'fs';
import * as path from 'path';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { ExperimentConfig, resolveConfig, resolveConfigs } from '../config';
import { AcafError } from '../errors';
import { createReporter, OutputMode } from '../trainers/progress';
import { runExperiment } from '../trainers/run-experiment';
import { stopOnSignals } from '../trainers/signals';

export default class Run extends AcafCommand {
  static override description = 'Train and evaluate experiments, writing a run directory each (runs/<name>/<timestamp>/)';
  static override examples = [
    '<%= config.bin %> run configs/quickstart.yaml',
    '<%= config.bin %> run configs/quickstart.yaml --set seed=2 --set train.epochs=3 --json',
    '<%= config.bin %> run --resume runs/quickstart/20250101-120000',
  ];
  static override strict = false;
  static override args = { config: Args.string({ description: 'YAML experiment file(s), run one after another', required: false }) };
  static override flags = {
    set: Flags.string({ description: 'override a key: key.path=value (value parsed as YAML); repeatable', multiple: true, default: [] }),
    resume: Flags.string({ description: 'continue an interrupted run directory from its checkpoints/last', exclusive: ['set'] }),
    quiet: Flags.boolean({ description: 'print nothing but errors', default: false, exclusive: ['json'] }),
    json: Flags.boolean({ description: 'print one JSON object per line: start, each epoch, finish', default: false }),
    output: Flags.string({ description: 'root folder for run directories (overrides output.dir)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Run);
    const files = argv as string[];
    const mode: OutputMode = flags.json ? 'json' : flags.quiet ? 'quiet' : process.stdout.isTTY ? 'bars' : 'plain';
    const runs = flags.resume ? [this.resumedRun(flags.resume, files)] : this.newRuns(files, flags.set, flags.output);
    const stop = stopOnSignals();
    try {
      for (const { config, resume } of runs) await runExperiment(config, { reporter: createReporter(mode), resume, signal: stop.signal });
    } finally {
      stop.dispose();
    }
  }

  /** Every config is resolved (and so validated) before the first run starts. */
  private newRuns(files: string[], set: string[], output: string | undefined): { config: ExperimentConfig; resume?: string }[] {
    if (!files.length) throw new AcafError('give a config file to run, or --resume <run dir>', 2);
    const overrides = output ? [...set, `output.dir=${JSON.stringify(output)}`] : set;
    return resolveConfigs(files, { set: overrides }).map((config) => ({ config }));
  }

  private resumedRun(dir: string, files: string[]): { config: ExperimentConfig; resume: string } {
    if (files.length) throw new AcafError('--resume takes the run directory only, not config files', 2);
    const configFile = path.join(dir, 'config.yaml');
    if (!fs.existsSync(configFile)) throw new AcafError(`--resume ${dir}: not a run directory (no config.yaml)`, 2);
    const config = resolveConfig(configFile);
    // The run directory sits at <output.dir>/<name>/<timestamp>; keep it wherever it has been moved to.
    config.output.dir = path.dirname(path.dirname(path.resolve(dir)));
    return { config, resume: path.resolve(dir) };
  }
}
