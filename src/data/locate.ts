import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AcafError } from '../errors';

/** Where `acaf data fetch` puts datasets and plugins look for them: $ACAF_CACHE, else ~/.cache/acaf. */
export function cacheDir(): string {
  return process.env.ACAF_CACHE || path.join(os.homedir(), '.cache', 'acaf');
}

/**
 * The directory a dataset's files are in. A configured `dir` (resolved against `cwd`) must exist and be recognised;
 * without one, the first recognised of `fallbacks` is used. `recognise(dir)` returns the data directory inside
 * `dir` (itself or a known sub-folder) or undefined.
 */
export function locateDataset(
  dataset: string,
  configured: string | undefined,
  cwd: string,
  fallbacks: string[],
  recognise: (dir: string) => string | undefined,
  expected: string,
): string {
  if (configured !== undefined) {
    const dir = path.resolve(cwd, configured);
    if (!fs.existsSync(dir)) throw new AcafError(`${dataset}: data.dir ${dir} does not exist`);
    const found = recognise(dir);
    if (!found) throw new AcafError(`${dataset}: ${dir} holds no ${expected}`);
    return found;
  }
  for (const dir of fallbacks) {
    const found = fs.existsSync(dir) ? recognise(dir) : undefined;
    if (found) return found;
  }
  throw new AcafError(`${dataset}: no ${expected} found in ${fallbacks.join(', ')}; run \`acaf data fetch ${dataset}\` or set data.dir`);
}
