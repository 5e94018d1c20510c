import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import { textTable } from '../cli/text-table';
import { locateSweep } from '../sweep/locate';
import { taskStates } from '../sweep/slurm';
import { RunReport, sweepReport } from '../sweep/status';

const fixed = (value: number | null) => (value === null ? '-' : value.toFixed(4));

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

/** The detail column: progress of a running run, results of a complete one, the reason of a failed one. */
function detail(run: RunReport): string {
  const slurm = run.slurmTask ? `  [Slurm ${run.slurmTask}${run.slurmState ? ` ${run.slurmState}` : ''}]` : '';
  switch (run.state) {
    case 'running':
      return `epoch ${run.epoch ?? 0} of ${run.epochs}  last ${fixed(run.last)}  ETA ${run.etaSeconds === null ? '-' : duration(run.etaSeconds)}  ${run.holder}${slurm}`;
    case 'complete':
      return `best ${fixed(run.best)}  final ${fixed(run.last)}  ${run.dir}`;
    case 'failed':
      return `${run.message ?? 'see its run.json'}${run.log ? `  log: ${run.log}` : run.dir ? `  ${run.dir}` : ''}`;
    case 'interrupted':
      return `at epoch ${run.epoch} of ${run.epochs}; acaf submit or acaf run resumes it  ${run.dir}${slurm}`;
    default:
      return slurm.trim();
  }
}

export default class Status extends AcafCommand {
  static override description =
    'One line per run of a sweep: pending, queued (Slurm), running (epoch, last accuracy, ETA), complete (best and final accuracy), failed (why, and the log), interrupted; totals at the end';
  static override examples = [
    '<%= config.bin %> status configs/paper/cifar10-resnet50.yaml',
    '<%= config.bin %> status runs/cifar10-resnet50 --watch',
    '<%= config.bin %> status runs/cifar10-resnet50 --json',
  ];
  static override args = {
    sweep: Args.string({ description: 'a config file, or a submitted sweep folder <output.dir>/<name>/', required: true }),
  };
  static override flags = {
    set: setFlag,
    json: Flags.boolean({ description: 'print { runs: [...], totals: {...} } as JSON', default: false }),
    watch: Flags.boolean({ description: 'refresh until every run is complete or failed (Ctrl-C stops watching)', default: false }),
    interval: Flags.integer({ description: 'seconds between refreshes with --watch', default: 10, min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Status);
    for (;;) {
      const { sweep, manifest } = locateSweep(args.sweep, flags.set);
      const runs = sweepReport(sweep.cells, manifest, taskStates([...new Set(manifest?.submissions.map((s) => s.jobId) ?? [])]));
      const totals: Record<string, number> = {};
      for (const run of runs) totals[run.state] = (totals[run.state] ?? 0) + 1;
      if (flags.json) this.log(JSON.stringify({ sweep: sweep.name, runs, totals }));
      else {
        if (flags.watch) process.stdout.write('\x1b[2J\x1b[H');
        const rows = runs.map((run) => [String(run.index), run.name, run.state, detail(run)]);
        this.log(textTable(['index', 'name', 'status', ''], rows, { rightAligned: [0] }));
        const tally = Object.entries(totals).map(([state, count]) => `${count} ${state}`);
        this.log(`${runs.length} runs: ${tally.join(', ')}`);
      }
      const done = runs.every((run) => run.state === 'complete' || run.state === 'failed');
      if (!flags.watch || done) return;
      await new Promise((resolve) => setTimeout(resolve, flags.interval * 1000));
    }
  }
}
