import * as fs from 'fs';
import * as path from 'path';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import { AcafError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { cellStatus, resolveSweep, Sweep } from '../sweep/cells';
import { latestTask, readManifest, recordSubmission } from '../sweep/manifest';
import { sbatchScript, slurm, submitScript, taskStates } from '../sweep/slurm';
import { timestamp } from '../run-directory';

/** Slurm task states in which a task will still run (or runs): its cell is not submitted again. */
const LIVE_STATES = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'RESIZING', 'SUSPENDED', 'REQUEUE_HOLD']);

/** The launcher flags, each the `launcher:` key it overrides. */
const launcherFlags = {
  partition: Flags.string({ description: 'Slurm partition (launcher.partition)' }),
  gres: Flags.string({ description: 'generic resources per task, e.g. gpu:1 (launcher.gres)' }),
  'cpus-per-task': Flags.integer({ description: 'CPU cores per task (launcher.cpusPerTask)', min: 1 }),
  mem: Flags.string({ description: 'memory per task, e.g. 16G (launcher.mem)' }),
  time: Flags.string({ description: 'time limit per task, e.g. 2-00:00:00 (launcher.time)' }),
  account: Flags.string({ description: 'account to charge (launcher.account)' }),
  qos: Flags.string({ description: 'quality of service (launcher.qos)' }),
  parallel: Flags.integer({ char: 'p', description: 'at most this many tasks at once (launcher.parallel)', min: 1 }),
  sbatch: Flags.string({ description: "an extra '#SBATCH' option, e.g. --constraint=a100; repeatable (launcher.sbatch)", multiple: true }),
  setup: Flags.string({
    description: "a shell line run before acaf in each task, e.g. 'module load nodejs'; repeatable (launcher.setup)",
    multiple: true,
  }),
};
const LAUNCHER_KEYS: Record<keyof typeof launcherFlags, string> = {
  partition: 'partition',
  gres: 'gres',
  'cpus-per-task': 'cpusPerTask',
  mem: 'mem',
  time: 'time',
  account: 'account',
  qos: 'qos',
  parallel: 'parallel',
  sbatch: 'sbatch',
  setup: 'setup',
};

export default class Submit extends AcafCommand {
  static override description =
    'Submit the runs of matrix configs that are not complete to Slurm, as one array job per config (one task per run). ' +
    'Tasks resume interrupted runs and skip complete ones; submitting again resumes what was stopped. ' +
    'The job and its tasks are recorded in <output.dir>/<name>/sweep.json, task logs go to <output.dir>/<name>/logs/.';
  static override examples = [
    '<%= config.bin %> submit configs/paper/cifar10-resnet50.yaml --slurm --partition gpu --gres gpu:1 --time 2-00:00:00 --parallel 8',
    '<%= config.bin %> submit configs/small/cifar10-lenet.yaml --slurm --dry-run',
    '<%= config.bin %> submit configs/paper/cifar10-lenet.yaml --slurm --set launcher.qos=long',
  ];
  static override strict = false;
  static override args = { config: Args.string({ description: 'YAML experiment file(s)', required: true }) };
  static override flags = {
    slurm: Flags.boolean({ description: 'submit to Slurm with sbatch (the one launcher there is)', default: false }),
    'dry-run': Flags.boolean({ description: 'print the sbatch script and submit nothing', default: false }),
    set: setFlag,
    output: Flags.string({ description: 'root folder for run directories (overrides output.dir)' }),
    ...launcherFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Submit);
    if (!flags.slurm) throw new AcafError('say where to submit: --slurm (the one launcher there is)', 2);
    // What the tasks' `acaf run` applies; the launcher flags only shape the script.
    const runSet = [...flags.set, ...(flags.output ? [`output.dir=${JSON.stringify(flags.output)}`] : [])];
    // Every config is resolved (and so checked) before anything is submitted.
    const sweeps = (argv as string[]).map((file) => ({
      file: path.resolve(file),
      sweep: resolveSweep(file, [...runSet, ...launcherOverrides(flags)]),
    }));
    if (!flags['dry-run']) slurm('sbatch', ['--version']);
    for (const { file, sweep } of sweeps) this.submit(file, sweep, runSet, flags['dry-run']);
  }

  private submit(file: string, sweep: Sweep, set: string[], dryRun: boolean): void {
    const folder = path.resolve(sweep.folder);
    const manifest = readManifest(folder);
    const states = taskStates([...new Set(manifest?.submissions.map((s) => s.jobId) ?? [])]);
    const counts = new Map<string, number>();
    const toRun = sweep.cells.filter(({ config }) => {
      const task = latestTask(manifest, config.name);
      const queued = task && LIVE_STATES.has(states.get(`${task.jobId}_${task.index}`) ?? '');
      const { state } = cellStatus(config);
      const why = queued && state !== 'running' ? 'queued' : state;
      counts.set(why, (counts.get(why) ?? 0) + 1);
      return why === 'pending' || why === 'interrupted';
    });
    const tally = [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
    if (!toRun.length) {
      this.log(`nothing to submit for ${sweep.name}: its ${sweep.cells.length} runs are ${tally}`);
      return;
    }
    const job = {
      name: sweep.name,
      config: file,
      set,
      indexes: toRun.map((cell) => cell.index),
      logs: path.join(folder, 'logs'),
      cwd: process.cwd(),
      launcher: sweep.cells[0].config.launcher ?? {},
    };
    const script = sbatchScript(job);
    if (dryRun) {
      process.stdout.write(script);
      return;
    }
    fs.mkdirSync(job.logs, { recursive: true });
    const submittedAt = new Date();
    const scriptFile = path.join(folder, `submit-${timestamp(submittedAt)}.sbatch`);
    writeFileAtomic(scriptFile, script);
    const jobId = submitScript(scriptFile);
    recordSubmission(folder, file, set, {
      jobId,
      submittedAt: submittedAt.toISOString(),
      script: scriptFile,
      logs: job.logs,
      tasks: toRun.map(({ index, config }) => ({ index, name: config.name, config })),
    });
    this.log(`submitted Slurm job ${jobId}: ${toRun.length} of ${sweep.cells.length} runs of ${sweep.name} (${tally})`);
    this.log(`logs: ${job.logs}/; watch: acaf status ${path.relative(process.cwd(), folder) || '.'}`);
  }
}

/** The launcher flags given, as `--set launcher.<key>=...` overrides (so the schema checks them too). */
function launcherOverrides(flags: Partial<Record<keyof typeof launcherFlags, unknown>>): string[] {
  return Object.entries(LAUNCHER_KEYS)
    .filter(([flag]) => flags[flag as keyof typeof launcherFlags] !== undefined)
    .map(([flag, key]) => `launcher.${key}=${JSON.stringify(flags[flag as keyof typeof launcherFlags])}`);
}
