import type { JsonSchema } from '../registry';

/** How `acaf submit` sends the runs of a config to a cluster (Slurm's sbatch options); absent keys: Slurm's defaults. */
export interface LauncherConfig {
  partition?: string;
  gres?: string;
  cpusPerTask?: number;
  mem?: string;
  time?: string;
  account?: string;
  qos?: string;
  parallel?: number;
  sbatch?: string[];
  setup?: string[];
}

const text = (description: string): JsonSchema => ({ type: 'string', minLength: 1, pattern: '^[^\\n]*$', description });

/** The `launcher:` section: no defaults, so a config without it records nothing (and `acaf submit` flags fill in). */
export const launcherSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'cluster settings for acaf submit (not recorded in config.yaml: they do not change what a run computes)',
  properties: {
    partition: text('Slurm partition (sbatch --partition)'),
    gres: text("generic resources per task, e.g. 'gpu:1' (sbatch --gres)"),
    cpusPerTask: {
      type: 'integer',
      minimum: 1,
      description: 'CPU cores per task (sbatch --cpus-per-task); also the wasm threads of each run',
    },
    mem: text("memory per node, e.g. '16G' (sbatch --mem)"),
    time: text("time limit per task, e.g. '2-00:00:00' (sbatch --time); a task stopped by it resumes at the next submit"),
    account: text('account to charge (sbatch --account)'),
    qos: text('quality of service (sbatch --qos)'),
    parallel: { type: 'integer', minimum: 1, description: 'at most this many tasks at once (the %P of sbatch --array)' },
    sbatch: { type: 'array', items: text('an sbatch option'), description: "extra '#SBATCH' lines, e.g. '--constraint=a100'" },
    setup: {
      type: 'array',
      items: text('a shell line'),
      description: "shell lines run before acaf in each task, e.g. 'module load nodejs/20' or 'source ~/.nvm/nvm.sh'",
    },
  },
};
