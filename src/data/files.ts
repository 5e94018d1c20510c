import * as fs from 'fs';
import * as path from 'path';
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

/**
 * The file a data file names (a CSV row, a VOC `<filename>`, a COCO `file_name`), which must lie inside `dir`:
 * a relative path without `..` that leaves it, NUL bytes or backslashes, and, where it exists, whose real path
 * (symbolic links followed) is inside the real `dir`. Anything else is a one-line error: `where` names the data
 * file and entry (e.g. `train.csv:3: image file name`). Whether the file exists is the caller's check.
 */
export function fileInside(dir: string, entry: unknown, where: string): string {
  const refuse = (why: string) => new AcafError(`${where} ${JSON.stringify(entry)} ${why}`);
  if (typeof entry !== 'string' || entry === '') throw new AcafError(`${where} is ${entry === '' ? 'empty' : 'not text'}`);
  if (entry.includes('\0')) throw refuse('contains a NUL byte');
  if (entry.includes('\\')) throw refuse('contains a backslash (use / between folders)');
  if (path.isAbsolute(entry) || /^[A-Za-z]:/.test(entry)) throw refuse(`is an absolute path; it must be relative to ${dir}`);
  const relative = path.normalize(entry);
  if (relative === '..' || relative.startsWith(`..${path.sep}`)) throw refuse(`points outside ${dir}`);
  if (relative === '.' || relative === `.${path.sep}`) throw refuse(`names the folder ${dir} itself, not a file in it`);
  const file = path.join(dir, relative);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return file;
  }
  const realDir = fs.realpathSync(dir);
  if (!real.startsWith(realDir.endsWith(path.sep) ? realDir : `${realDir}${path.sep}`)) {
    throw refuse(`resolves to ${real} (through a symbolic link), outside ${dir}`);
  }
  return file;
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
