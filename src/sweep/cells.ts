import * as path from 'path';
import { configToYaml, ExperimentConfig, resolveExperimentFile } from '../config';
import { claimFile, ClaimHolder, findPreviousRun, isStale, readClaim, readRunJson, RunJson } from '../run-directory';

/** One run of a config's matrix, by its stable index (the order of the matrix's expansion). */
export interface Cell {
  index: number;
  config: ExperimentConfig;
}

/** A config file's cells, and its sweep folder `<output.dir>/<name>/` (name before the matrix suffixes). */
export interface Sweep {
  name: string;
  folder: string;
  matrix: boolean;
  cells: Cell[];
}

export function resolveSweep(file: string, set: string[]): Sweep {
  const { runs, matrix, name } = resolveExperimentFile(file, { set });
  return { name, folder: path.join(runs[0].output.dir, name), matrix, cells: runs.map((config, index) => ({ index, config })) };
}

/** Where a cell's claim lives: beside its run directories, named by the digest of its resolved config. */
export function cellClaimFile(config: ExperimentConfig): string {
  return claimFile(path.join(config.output.dir, config.name), configToYaml(config));
}

export type CellState = 'pending' | 'running' | 'complete' | 'failed' | 'interrupted';

export interface CellStatus {
  state: CellState;
  /** The run directory, once one exists. */
  dir?: string;
  run?: RunJson;
  /** The live process that holds the cell. */
  holder?: ClaimHolder;
}

/**
 * A cell's state from its claim and its latest run directory: running while a live process holds it; otherwise
 * what the run's run.json says, where `running` without a live holder means the process died (interrupted).
 */
export function cellStatus(config: ExperimentConfig): CellStatus {
  const claim = readClaim(cellClaimFile(config));
  const holder = claim && !isStale(claim) ? claim : undefined;
  const previous = findPreviousRun(config);
  const run = previous ? runJsonIfReadable(previous.dir) : undefined;
  if (holder) return { state: 'running', holder, dir: previous?.dir, run };
  if (!previous) return { state: 'pending' };
  const state: CellState = previous.status === 'running' ? 'interrupted' : previous.status;
  return { state, dir: previous.dir, run };
}

function runJsonIfReadable(dir: string): RunJson | undefined {
  try {
    return readRunJson(dir);
  } catch {
    return undefined; // unreadable: the state alone is reported
  }
}
