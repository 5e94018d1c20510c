import { Args } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import * as path from 'path';
import { locateSweep } from '../sweep/locate';
import { MANIFEST } from '../sweep/manifest';
import { slurm, taskStates } from '../sweep/slurm';

export default class Cancel extends AcafCommand {
  static override description =
    "Cancel a sweep's Slurm jobs (scancel): running tasks get SIGTERM, checkpoint and stop; their runs are interrupted and the next acaf submit resumes them";
  static override examples = [
    '<%= config.bin %> cancel runs/cifar10-resnet50',
    '<%= config.bin %> cancel configs/paper/cifar10-resnet50.yaml',
  ];
  static override args = {
    sweep: Args.string({ description: 'a config file, or a submitted sweep folder <output.dir>/<name>/', required: true }),
  };
  static override flags = { set: setFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Cancel);
    const { sweep, manifest } = locateSweep(args.sweep, flags.set);
    if (!manifest) {
      this.log(`nothing to cancel: ${sweep.name} was never submitted (no ${path.join(sweep.folder, MANIFEST)})`);
      return;
    }
    const jobs = [...new Set(manifest.submissions.map((s) => s.jobId))];
    const states = taskStates(jobs);
    const live = jobs.filter((job) =>
      [...states].some(([task, state]) => task.split('_')[0] === job && !/COMPLETED|FAILED|CANCELLED|TIMEOUT/.test(state)),
    );
    if (!live.length) {
      this.log(`nothing to cancel: no job of ${sweep.name} is queued or running (jobs ${jobs.join(', ')})`);
      return;
    }
    slurm('scancel', live);
    this.log(
      `cancelled Slurm job${live.length === 1 ? '' : 's'} ${live.join(', ')} of ${sweep.name}; acaf submit resumes the interrupted runs`,
    );
  }
}
