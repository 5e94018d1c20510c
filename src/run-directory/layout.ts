import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';

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
      fs.mkdirSync(path.join(dir, 'checkpoints'));
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new AcafError(`cannot create run directory ${dir}: ${(error as Error).message}`);
    }
  }
}

/** The files of a run directory (docs/design.md). */
export function runFiles(dir: string) {
  return {
    config: path.join(dir, 'config.yaml'),
    env: path.join(dir, 'env.json'),
    run: path.join(dir, 'run.json'),
    metrics: path.join(dir, 'metrics.csv'),
    activations: path.join(dir, 'activations.csv'),
    checkpoint: (which: 'last' | 'best') => path.join(dir, 'checkpoints', which),
    table: (file: string) => path.join(dir, file),
  };
}
