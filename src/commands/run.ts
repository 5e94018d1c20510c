import * as fs from 'fs';
import * as path from 'path';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import { ExperimentConfig, resolveConfig, resolveConfigs } from '../config';
import { AcafError } from '../errors';
import { globPattern } from '../glob';
import { cellClaimFile, cellStatus, resolveSweep } from '../sweep/cells';
import { ChildRun, parseDevices, runInParallel } from '../sweep/parallel';
import { claimCell, claimFile, CLAIM_HELD_EXIT, describeHolder, findPreviousRun, runPaths } from '../run-directory';
import { createReporter, OutputMode } from '../trainers/progress';
import { runExperiment } from '../trainers/run-experiment';
import { stopOnSignals } from '../trainers/signals';

/** The packaged quickstart, run when no config is given; its data ship with the package. */
const PACKAGE_ROOT = path.join(__dirname, '..', '..');
const QUICKSTART = path.join(PACKAGE_ROOT, 'configs', 'quickstart.yaml');
const QUICKSTART_DATA = path.join(PACKAGE_ROOT, 'data', 'fashion-mnist-sample');

/** A run to do: its config, the run directory to continue (--resume), and its claim file. */
interface PlannedRun {
  config: ExperimentConfig;
  /** The file the config came from (a run directory's config.yaml for --resume), named by errors about it. */
  file: string;
  claim: string;
  resume?: string;
  /** Skip the cell if an earlier run of it is complete or failed, resume it if interrupted (matrices, --index). */
  reuse: boolean;
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
    '<%= config.bin %> run configs/small/cifar10-lenet.yaml --index 3',
    '<%= config.bin %> run configs/small/cifar10-lenet.yaml --jobs 2',
  ];
  static override strict = false;
  static override args = {
    config: Args.string({ description: 'YAML experiment file(s), run one after another (default: the quickstart)', required: false }),
  };
  static override flags = {
    set: setFlag,
    resume: Flags.string({ description: 'continue an interrupted run directory from its checkpoints/last', exclusive: ['set'] }),
    only: Flags.string({ description: "run only the runs whose name matches this pattern ('*' = any characters)" }),
    index: Flags.integer({
      description: 'run only the run with this index in the matrix (acaf config <config> --list shows them); one job per cell',
      min: 0,
      exclusive: ['only', 'resume'],
    }),
    jobs: Flags.integer({
      description: 'run this many runs of a matrix at once, as child processes sharing the CPU threads',
      min: 1,
      default: 1,
      exclusive: ['index', 'resume'],
    }),
    devices: Flags.string({ description: 'with --jobs: GPUs to spread the runs over, one each in turn (CUDA_VISIBLE_DEVICES), e.g. 0,1' }),
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
    const files = argv as string[];
    if (flags.devices !== undefined && flags.jobs === 1) throw new AcafError('--devices goes with --jobs N (N > 1)', 2);
    const runs = flags.resume ? [this.resumedRun(flags.resume, files)] : this.plannedRuns(files, flags);
    if (flags.jobs > 1) {
      await runInParallel(this.childRuns(files, flags, runs, say), { jobs: flags.jobs, devices: parseDevices(flags.devices), mode, say });
      return;
    }
    // A run asked for by itself (one config, --index, --resume) fails when another process holds it; a matrix goes on.
    const alone = runs.length === 1 && (flags.resume !== undefined || flags.index !== undefined || !runs[0].reuse);
    const stop = stopOnSignals();
    const failures: string[] = [];
    try {
      for (const run of runs) {
        if (stop.signal.aborted) break;
        const claim = claimCell(run.claim, say);
        if ('heldBy' in claim) {
          const taken = `${run.config.name} is being run by ${describeHolder(claim.heldBy)}`;
          if (alone) throw new AcafError(`${taken}; not started (its claim: ${run.claim})`, CLAIM_HELD_EXIT);
          say(`skipped: ${taken}`);
          continue;
        }
        try {
          const resume = run.resume ?? (run.reuse ? this.reusePrevious(run.config, say) : undefined);
          if (resume === false) continue;
          await runExperiment(run.config, { reporter: createReporter(mode), resume, signal: stop.signal, configFile: run.file });
        } catch (error) {
          // One failed run of several (e.g. a diverging activation) must not stop the table; a Ctrl-C does.
          if (runs.length === 1 || stop.signal.aborted || !(error instanceof AcafError)) throw error;
          failures.push(`${run.config.name}: ${error.message}`);
          say(`failed: ${run.config.name}: ${error.message}`);
        } finally {
          claim.release();
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
    flags: { set: string[]; output?: string; only?: string; index?: number; fresh: boolean },
  ): PlannedRun[] {
    if (flags.index !== undefined && files.length !== 1) throw new AcafError('--index picks a run of one config file; give exactly one', 2);
    let resolved = resolveConfigs(files.length ? files : [QUICKSTART], { set: this.overrides(files, flags) });
    if (flags.index !== undefined) {
      if (flags.index >= resolved.length)
        throw new AcafError(
          `--index ${flags.index}: ${files[0]} has ${resolved.length} run${resolved.length === 1 ? '' : 's'} (0-${resolved.length - 1})`,
          2,
        );
      resolved = [resolved[flags.index]];
    }
    if (flags.only) {
      const pattern = globPattern(flags.only);
      resolved = resolved.filter(({ config }) => pattern.test(config.name));
      if (!resolved.length) throw new AcafError(`--only ${flags.only}: no run has a matching name`, 2);
    }
    return resolved.map(({ config, fromMatrix, file }) => ({
      config,
      file,
      claim: cellClaimFile(config),
      reuse: (fromMatrix || flags.index !== undefined) && !flags.fresh,
    }));
  }

  /** The `--set` list a run applies: the quickstart's data folder, the flags, --output. */
  private overrides(files: string[], flags: { set: string[]; output?: string }): string[] {
    const overrides = [...(files.length ? [] : [`data.dir=${JSON.stringify(QUICKSTART_DATA)}`]), ...flags.set];
    if (flags.output) overrides.push(`output.dir=${JSON.stringify(flags.output)}`);
    return overrides;
  }

  /**
   * For a claimed cell: the interrupted run to resume, false to skip it (complete, or failed: --fresh runs it
   * again), or undefined to start it. Decided only once claimed, so a run finished meanwhile by another worker counts.
   */
  private reusePrevious(config: ExperimentConfig, say: (line: string) => void): string | false | undefined {
    const previous = findPreviousRun(config);
    if (!previous) return undefined;
    if (previous.status === 'complete') {
      say(`skipped: ${config.name} is complete in ${previous.dir}`);
      return false;
    }
    if (previous.status === 'failed') {
      say(`skipped: ${config.name} failed in ${previous.dir} (see its run.json; --fresh runs it again)`);
      return false;
    }
    say(`resuming: ${config.name} from ${previous.dir}`);
    return path.resolve(previous.dir);
  }

  private resumedRun(dir: string, files: string[]): PlannedRun {
    if (files.length) throw new AcafError('--resume takes the run directory only, not config files', 2);
    const configFile = runPaths(dir).config;
    if (!fs.existsSync(configFile)) throw new AcafError(`--resume ${dir}: not a run directory (no config.yaml)`, 2);
    const config = resolveConfig(configFile);
    // The run directory sits at <output.dir>/<name>/<timestamp>; keep it wherever it has been moved to.
    config.output.dir = path.dirname(path.dirname(path.resolve(dir)));
    // The cell's claim, as a matrix run of the same config would take it.
    const claim = claimFile(path.dirname(path.resolve(dir)), fs.readFileSync(configFile, 'utf8'));
    return { config, file: configFile, claim, resume: path.resolve(dir), reuse: false };
  }

  /** With --jobs: each run still to do as `acaf run <config> --index K` in a child process (one config file). */
  private childRuns(
    files: string[],
    flags: { set: string[]; output?: string; fresh: boolean },
    runs: PlannedRun[],
    say: (line: string) => void,
  ): ChildRun[] {
    if (files.length !== 1) throw new AcafError('--jobs runs the runs of one config file; give exactly one', 2);
    const cells = resolveSweep(files[0], this.overrides(files, flags)).cells;
    const toDo = runs.filter(({ config }) => {
      const { state, dir } = cellStatus(config);
      if (flags.fresh || (state !== 'complete' && state !== 'failed')) return true;
      say(`skipped: ${config.name} ${state === 'complete' ? 'is complete' : 'failed'} in ${dir}`);
      return false;
    });
    return toDo.map(({ config }) => {
      const index = cells.findIndex((cell) => cell.config.name === config.name);
      const args = [files[0], '--index', String(index), ...this.overrides(files, flags).flatMap((set) => ['--set', set])];
      return { name: config.name, args: flags.fresh ? [...args, '--fresh'] : args };
    });
  }
}
