import { spawnSync } from 'child_process';
import * as path from 'path';
import type { LauncherConfig } from '../config/launcher';
import { AcafError } from '../errors';

/** The acaf that `acaf submit` runs in each task: this installation's bin/run.js, with the `node` the task's PATH gives. */
const ACAF = path.join(__dirname, '..', '..', 'bin', 'run.js');

/** A word as one shell word, quoted only where needed. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ArrayJob {
  /** The sweep's name, for the job name. */
  name: string;
  /** The config file (absolute) and the --set overrides every task applies. */
  config: string;
  set: string[];
  /** The cells to run: each is one array task, its index the cell's (`acaf run --index`). */
  indexes: number[];
  /** The folder of the task logs, `<index>` and `<job>` filled in by Slurm. */
  logs: string;
  /** The working directory of each task (relative paths in configs are relative to it). */
  cwd: string;
  launcher: LauncherConfig;
}

/** `0-3,7` for [0, 1, 2, 3, 7]: Slurm's --array syntax, ranges where the indexes are consecutive. */
export function arrayRanges(indexes: number[]): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}

/**
 * The sbatch script of an array job: one task per cell, each `acaf run <config> --index $SLURM_ARRAY_TASK_ID`
 * under srun (so `scancel --signal=TERM` and the time limit reach acaf, which checkpoints and stops). `--requeue`
 * lets Slurm requeue a preempted task; the requeued task resumes the run from its checkpoint.
 */
export function sbatchScript(job: ArrayJob): string {
  const { launcher } = job;
  const options: [string, string | number | undefined][] = [
    ['job-name', `acaf-${job.name}`],
    ['array', `${arrayRanges(job.indexes)}${launcher.parallel ? `%${launcher.parallel}` : ''}`],
    ['output', path.join(job.logs, '%A_%a.log')],
    ['chdir', job.cwd],
    ['partition', launcher.partition],
    ['gres', launcher.gres],
    ['cpus-per-task', launcher.cpusPerTask],
    ['mem', launcher.mem],
    ['time', launcher.time],
    ['account', launcher.account],
    ['qos', launcher.qos],
  ];
  const command = ['srun', 'node', ACAF, 'run', job.config, ...job.set.flatMap((set) => ['--set', set])].map(shellQuote);
  return [
    '#!/bin/bash',
    `# written by acaf submit: ${job.indexes.length} runs of ${job.config}`,
    ...options.filter(([, value]) => value !== undefined).map(([key, value]) => `#SBATCH --${key}=${String(value)}`),
    '#SBATCH --requeue',
    ...(launcher.sbatch ?? []).map((line) => `#SBATCH ${line}`),
    '',
    ...(launcher.setup ?? []),
    '# wasm threads: the cores Slurm gave the task',
    'export ACAF_WASM_THREADS="${ACAF_WASM_THREADS:-${SLURM_CPUS_PER_TASK:-2}}"',
    `${command.join(' ')} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}

/** Runs a Slurm command; a missing command or a failure is one AcafError line with Slurm's own message. */
export function slurm(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', input });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new AcafError(`${command} not found: Slurm's commands must be on PATH (run this on a login node of the cluster)`);
  if (result.error) throw new AcafError(`${command} failed: ${result.error.message}`);
  if (result.status !== 0) {
    const reason = (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
    throw new AcafError(`${command} ${args.join(' ')} failed (exit ${result.status}): ${reason}`);
  }
  return result.stdout;
}

/** Submits a script file; returns the job id. */
export function submitScript(script: string): string {
  return slurm('sbatch', ['--parsable', script]).trim().split(';')[0];
}

/** The state of each task of the given array jobs that Slurm still knows, by `<job>_<index>`: squeue, then sacct. */
export function taskStates(jobIds: string[]): Map<string, string> {
  const states = new Map<string, string>();
  if (!jobIds.length) return states;
  const read = (command: string, args: string[]) => {
    try {
      for (const line of slurm(command, args).split('\n')) {
        const [id, state] = line.trim().split(/\s+/);
        if (id && state && !states.has(id)) states.set(id, state);
      }
    } catch {
      // squeue forgets finished jobs and sacct needs accounting: what neither knows, the run directories tell
    }
  };
  // squeue fails on a job id it no longer knows, so one job at a time
  for (const id of jobIds) read('squeue', ['--noheader', '--array', '--jobs', id, '--format', '%i %T']);
  read('sacct', ['--noheader', '--parsable2', '--delimiter', ' ', '--allocations', '--jobs', jobIds.join(','), '--format', 'JobID,State']);
  return states;
}
