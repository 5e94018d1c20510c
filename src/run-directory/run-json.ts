import * as fs from 'fs';
import { isPlainObject } from '../config/merge';
import { AcafError } from '../errors';
import { writeJsonAtomic } from '../io/atomic';
import { runPaths } from './layout';

export type RunStatus = 'running' | 'complete' | 'interrupted' | 'failed';

/** One finished epoch as metrics.csv records it (null: not evaluated or not applicable). */
export type EpochRow = Record<string, number | null>;

/** run.json: where a run stands. Written by the trainer after every epoch and when the run stops. */
export type RunJson = {
  status: RunStatus;
  /** Why the run stopped, when it did not complete. */
  message?: string;
  epochsCompleted: number;
  epochs: number;
  bestEpoch: number | null;
  best: { metric: string; value: number; epoch: number } | null;
  /** The last epoch's metrics.csv row. */
  final: EpochRow | null;
  task: string;
  protocol: string | null;
  seed: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
};

/** A JSON file that must hold an object; anything else is a one-line error naming the file. */
export function readJsonObject(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isPlainObject(value)) throw new AcafError(`${file}: expected a JSON object`);
  return value;
}

/** run.json of run directory `dir` (its fields as written; a run written by another version may lack some). */
export function readRunJson(dir: string): RunJson {
  return readJsonObject(runPaths(dir).run) as RunJson;
}

export function writeRunJson(dir: string, value: RunJson): void {
  writeJsonAtomic(runPaths(dir).run, value);
}
