import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { AcafError } from '../errors';

/** Throws a one-line error unless `dir` is an existing directory; `what` names the dataset. */
export function requireDir(dir: string, what: string): void {
  if (!fs.existsSync(dir)) throw new AcafError(`${what}: directory ${dir} does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new AcafError(`${what}: ${dir} is not a directory`);
}

/** The first of `names` that exists in `dir`, or undefined. */
export function findFile(dir: string, names: string[]): string | undefined {
  return names.map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
}

/** The first of `names` in `dir`; a one-line error naming the directory and the names tried when none exists. */
export function requireFile(dir: string, names: string[], what: string): string {
  const file = findFile(dir, names);
  if (!file) throw new AcafError(`${what}: missing file ${path.join(dir, names[0])}${names.length > 1 ? ` (also tried ${names.slice(1).join(', ')})` : ''}`);
  return file;
}

/** The file's bytes, gunzipped when it is gzip (by its magic bytes, whatever its name). */
export function readMaybeGzipped(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new AcafError(`${file}: corrupt or truncated gzip data (${(error as Error).message})`);
  }
}

/** Non-empty trimmed lines of a text file (class-name lists such as batches.meta.txt). */
export function readLines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Checks that every label lies in [0, classCount); names the file and the first bad label. */
export function checkLabels(labels: Int32Array, classCount: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || labels[i] >= classCount) {
      throw new AcafError(`${file}: label ${labels[i]} of item ${i} is out of range 0..${classCount - 1}`);
    }
  }
}
