import * as fs from 'fs';
import * as path from 'path';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import { ExperimentConfig, resolveConfig, resolveConfigs } from '../config';
import { AcafError } from '../errors';
import { globPattern } from '../glob';
import { findPreviousRun, runPaths } from '../run-directory';
import { createReporter, OutputMode } from '../trainers/progress';
import { runExperiment } from '../trainers/run-experiment';
import { stopOnSignals } from '../trainers/signals';

/** The packaged quickstart, run when no config is given; its data ship with the package. */
const PACKAGE_ROOT = path.join(__dirname, '..', '..');
const QUICKSTART = path.join(PACKAGE_ROOT, 'configs', 'quickstart.yaml');
const QUICKSTART_DATA = path.join(PACKAGE_ROOT, 'data', 'fashion-mnist-sample');

interface PlannedRun {
  config: ExperimentConfig;
  resume?: string;
}

export default class Run extends AcafCommand {
  static override description =
    'Train and evaluate experiments, writing a run directory each (runs/<name>/<timestamp>/). ' +
    'Without a config, runs the quickstart. A matrix config runs each of its runs in turn, skipping those already complete and resuming interrupted ones.';
  static override examples = [
    '<%= config.bin %> run',
    '<%= config.bin %> run configs/quickstart.yaml --set seed=2 --set train.epochs=3 --json',
    '<%= config.bin %> run configs/paper/cifar10-lenet.yaml --only "*activation_ar*"',
    '<%= config.bin %> run configs/detection-shapes.yaml',
    '<%= config.bin %> run --resume runs/quickstart/20250101-120000',
  ];
  static override strict = false;
  static override args = {
    config: Args.string({ description: 'YAML experiment file(s), run one after another (default: the quickstart)', required: false }),
  };
  static override flags = {
    set: setFlag,
    resume: Flags.string({ description: 'continue an interrupted run directory from its checkpoints/last', exclusive: ['set'] }),
    only: Flags.string({ description: "run only the runs whose name matches this pattern ('*' = any characters)" }),
    fresh: Flags.boolean({
      description: 'start matrix runs anew even where a complete or interrupted run of the same config exists',
      default: false,
    }),
    quiet: Flags.boolean({ description: 'print nothing but errors', default: false, exclusive: ['json'] }),
    json: Flags.boolean({ description: 'print one JSON object per line: start, each epoch, finish', default: false }),
    output: Flags.string({ description: 'root folder for run directories (overrides output.dir)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Run);
    const mode: OutputMode = flags.json ? 'json' : flags.quiet ? 'quiet' : process.stdout.isTTY ? 'bars' : 'plain';
    const say = (line: string) => mode !== 'quiet' && mode !== 'json' && this.log(line);
    const runs = flags.resume ? [this.resumedRun(flags.resume, argv as string[])] : this.plannedRuns(argv as string[], flags, say);
    const stop = stopOnSignals();
    const failures: string[] = [];
    try {
      for (const { config, resume } of runs) {
        try {
          await runExperiment(config, { reporter: createReporter(mode), resume, signal: stop.signal });
        } catch (error) {
          // One failed run of several (e.g. a diverging activation) must not stop the table; a Ctrl-C does.
          if (runs.length === 1 || stop.signal.aborted || !(error instanceof AcafError)) throw error;
          failures.push(`${config.name}: ${error.message}`);
          say(`failed: ${config.name}: ${error.message}`);
        }
      }
    } finally {
      stop.dispose();
    }
    if (failures.length) throw new AcafError(`${failures.length} of ${runs.length} runs failed:\n${failures.join('\n')}`);
  }

  /** Every config is resolved (and so validated) before the first run starts. */
  private plannedRuns(
    files: string[],
    flags: { set: string[]; output?: string; only?: string; fresh: boolean },
    say: (line: string) => void,
  ): PlannedRun[] {
    const overrides = [...(files.length ? [] : [`data.dir=${JSON.stringify(QUICKSTART_DATA)}`]), ...flags.set];
    if (flags.output) overrides.push(`output.dir=${JSON.stringify(flags.output)}`);
    let resolved = resolveConfigs(files.length ? files : [QUICKSTART], { set: overrides });
    if (flags.only) {
      const pattern = globPattern(flags.only);
      resolved = resolved.filter(({ config }) => pattern.test(config.name));
      if (!resolved.length) throw new AcafError(`--only ${flags.only}: no run has a matching name`, 2);
    }
    return resolved.flatMap(({ config, fromMatrix }) => {
      const previous = fromMatrix && !flags.fresh ? findPreviousRun(config) : undefined;
      if (!previous) return [{ config }];
      if (previous.status === 'complete') {
        say(`skipped: ${config.name} is complete in ${previous.dir}`);
        return [];
      }
      if (previous.status === 'failed') {
        say(`skipped: ${config.name} failed in ${previous.dir} (see its run.json; --fresh runs it again)`);
        return [];
      }
      say(`resuming: ${config.name} from ${previous.dir}`);
      return [{ config, resume: path.resolve(previous.dir) }];
    });
  }

  private resumedRun(dir: string, files: string[]): PlannedRun {
    if (files.length) throw new AcafError('--resume takes the run directory only, not config files', 2);
    const configFile = runPaths(dir).config;
    if (!fs.existsSync(configFile)) throw new AcafError(`--resume ${dir}: not a run directory (no config.yaml)`, 2);
    const config = resolveConfig(configFile);
    // The run directory sits at <output.dir>/<name>/<timestamp>; keep it wherever it has been moved to.
    config.output.dir = path.dirname(path.dirname(path.resolve(dir)));
    return { config, resume: path.resolve(dir) };
  }
}
