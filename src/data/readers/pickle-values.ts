import * as fs from 'fs';
import { AcafError } from '../../errors';
import { NumpyArray } from './numpy';
import { unpickle } from './pickle';
import { dataPickleGlobals } from './pickle-globals';

/** Unpickles a file that must hold a dict (every data pickle we read does). */
export function readPickledDict(file: string): Map<unknown, unknown> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const value = unpickle(bytes, file, dataPickleGlobals);
  if (!(value instanceof Map)) throw new AcafError(`${file}: expected a pickled dict, found ${describe(value)}`);
  return value;
}

/** dict[key]; a missing key is an error naming the file and the keys present. */
export function requireKey(dict: Map<unknown, unknown>, key: string, file: string): unknown {
  if (!dict.has(key)) throw new AcafError(`${file}: missing key '${key}' (keys: ${describeKeys(dict)})`);
  return dict.get(key);
}

/** A str, bytes or number value as text (anything else, say a nested list, is an error naming `what`). */
export function pyText(value: unknown, what: string, file: string): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new AcafError(`${file}: ${what} is ${describe(value)}, expected text`);
}

/** A list of ints or a 1-D integer numpy array as Int32Array. */
export function pyIntegers(value: unknown, what: string, file: string): Int32Array {
  if (value instanceof NumpyArray) {
    if (value.shape.length !== 1) throw new AcafError(`${file}: '${what}' has shape [${value.shape}], expected one dimension`);
    return Int32Array.from(value.toNumbers(file));
  }
  if (Array.isArray(value) && value.every((item) => Number.isInteger(item))) return Int32Array.from(value as number[]);
  throw new AcafError(`${file}: '${what}' is ${describe(value)}, expected a list of integers`);
}

/** A numpy array with exactly `rank` dimensions. */
export function pyArray(value: unknown, what: string, rank: number, file: string): NumpyArray {
  if (!(value instanceof NumpyArray)) throw new AcafError(`${file}: '${what}' is ${describe(value)}, expected a numpy array`);
  if (value.shape.length !== rank) throw new AcafError(`${file}: '${what}' has shape [${value.shape}], expected ${rank} dimensions`);
  return value;
}

/** At most ten keys, each shown briefly: a hostile file's keys may be huge, nested or many. */
function describeKeys(dict: Map<unknown, unknown>): string {
  const keys = [...dict.keys()].slice(0, 10).map((key) => (typeof key === 'string' ? key.slice(0, 40) : describe(key)));
  return dict.size > 10 ? `${keys.join(', ')}, ... (${dict.size} in all)` : keys.join(', ');
}

function describe(value: unknown): string {
  if (value instanceof NumpyArray) return `a numpy array of shape [${value.shape}]`;
  if (value instanceof Map) return 'a dict';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return value === null ? 'None' : typeof value;
}
