import * as fs from 'fs';
import * as path from 'path';
import type { ExperimentConfig } from '../config';
import { AcafError } from '../errors';
import { writeJsonAtomic } from '../io/atomic';

/** One `acaf submit`: the Slurm job, and which run each of its array tasks runs. */
export interface Submission {
  jobId: string;
  submittedAt: string;
  script: string;
  /** The log of task `<index>` is `<logs>/<jobId>_<index>.log`. */
  logs: string;
  tasks: { index: number; name: string; config: ExperimentConfig }[];
}

/** `<output.dir>/<name>/sweep.json`: what was submitted for a config, newest submission last. */
export interface Manifest {
  config: string;
  set: string[];
  submissions: Submission[];
}

export const MANIFEST = 'sweep.json';

export function readManifest(folder: string): Manifest | undefined {
  const file = path.join(folder, MANIFEST);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (error) {
    throw new AcafError(`${file}: not a readable sweep manifest (${(error as Error).message})`);
  }
}

/** Adds a submission to the folder's manifest (config and --set are the latest submission's). */
export function recordSubmission(folder: string, config: string, set: string[], submission: Submission): void {
  const submissions = readManifest(folder)?.submissions ?? [];
  writeJsonAtomic(path.join(folder, MANIFEST), { config, set, submissions: [...submissions, submission] });
}

/** The log of a cell's latest task, if it was ever submitted. */
export function latestTask(manifest: Manifest | undefined, name: string): { jobId: string; index: number; log: string } | undefined {
  for (const submission of [...(manifest?.submissions ?? [])].reverse()) {
    const task = submission.tasks.find((t) => t.name === name);
    if (task)
      return { jobId: submission.jobId, index: task.index, log: path.join(submission.logs, `${submission.jobId}_${task.index}.log`) };
  }
  return undefined;
}
