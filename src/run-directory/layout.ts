import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';

/** The names of a run directory's files (docs/design.md, "Run directory"): the one place they are spelled. */
export const RUN_FILE = {
  config: 'config.yaml',
  env: 'env.json',
  run: 'run.json',
  metrics: 'metrics.csv',
  activations: 'activations.csv',
  checkpoints: 'checkpoints',
  /** TensorBoard event files, with `logging.tensorboard`. */
  tensorboard: 'tensorboard',
} as const;

/** A directory holding `run.json` is a run; these are the files a run must have to be reported on. */
export const REPORTABLE_RUN_FILES = [RUN_FILE.run, RUN_FILE.config, RUN_FILE.metrics] as const;

export type CheckpointName = 'last' | 'best';

/** The paths of the files in run directory `dir`. */
export function runPaths(dir: string) {
  return {
    config: path.join(dir, RUN_FILE.config),
    env: path.join(dir, RUN_FILE.env),
    run: path.join(dir, RUN_FILE.run),
    metrics: path.join(dir, RUN_FILE.metrics),
    activations: path.join(dir, RUN_FILE.activations),
    checkpoints: path.join(dir, RUN_FILE.checkpoints),
    tensorboard: path.join(dir, RUN_FILE.tensorboard),
    checkpoint: (which: CheckpointName) => path.join(dir, RUN_FILE.checkpoints, which),
    /** A task's own file (confusion.csv, per_class_ap.csv, detections.json). */
    table: (file: string) => path.join(dir, file),
  };
}

/** `YYYYMMDD-HHMMSS` in local time. */
export function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/**
 * Creates `<root>/<name>/<timestamp>/` and returns its path. An existing directory is never reused: a second run
 * in the same second gets `-2`, `-3`... (mkdir without `recursive` fails on an existing directory).
 */
export function createRunDirectory(root: string, name: string, now = new Date()): string {
  const parent = path.join(root, name);
  fs.mkdirSync(parent, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const dir = path.join(parent, attempt === 1 ? timestamp(now) : `${timestamp(now)}-${attempt}`);
    try {
      fs.mkdirSync(dir);
      fs.mkdirSync(runPaths(dir).checkpoints);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new AcafError(`cannot create run directory ${dir}: ${(error as Error).message}`);
    }
  }
}
