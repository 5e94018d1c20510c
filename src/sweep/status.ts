import * as fs from 'fs';
import { readCsv, runPaths } from '../run-directory';
import { Cell, cellStatus, CellState } from './cells';
import { latestTask, Manifest } from './manifest';

/** One run of a sweep as `acaf status` reports it. */
export interface RunReport {
  index: number;
  name: string;
  /** The cell's state; `queued` when its Slurm task waits to start. */
  state: CellState | 'queued';
  dir: string | null;
  epoch: number | null;
  epochs: number | null;
  /** The latest evaluated value of the run's best metric (test accuracy for classifiers). */
  last: number | null;
  best: number | null;
  metric: string | null;
  /** Seconds left at the mean epoch time so far (running runs). */
  etaSeconds: number | null;
  /** Why the run failed or stopped, from its run.json. */
  message: string | null;
  /** The run's holder (`pid 12 on node3 ...`), for running runs. */
  holder: string | null;
  slurmTask: string | null;
  slurmState: string | null;
  log: string | null;
}

/** The report of every cell: its run directory and claim, and the Slurm state of its latest task (`states`). */
export function sweepReport(cells: Cell[], manifest: Manifest | undefined, states: Map<string, string>): RunReport[] {
  return cells.map(({ index, config }) => {
    const status = cellStatus(config);
    const task = latestTask(manifest, config.name);
    const slurmTask = task ? `${task.jobId}_${task.index}` : null;
    const slurmState = slurmTask ? (states.get(slurmTask) ?? null) : null;
    const { run } = status;
    const metric = run?.best?.metric ?? null;
    const last = metric && run?.final ? (lastEvaluated(status.dir!, metric) ?? null) : null;
    const epoch = run?.epochsCompleted ?? null;
    const epochs = run?.epochs ?? config.train.epochs;
    const queued = status.state !== 'running' && status.state !== 'complete' && slurmState === 'PENDING';
    // A task that ended badly before its run had a directory (no node, a bad setup line) failed all the same.
    const failedTask = status.state === 'pending' && slurmState !== null && /FAIL|CANCEL|TIMEOUT|OUT_OF_ME|DEADLINE/.test(slurmState);
    const log = task && fs.existsSync(task.log) ? task.log : null;
    return {
      index,
      name: config.name,
      state: queued ? 'queued' : failedTask ? 'failed' : status.state,
      dir: status.dir ?? null,
      epoch,
      epochs,
      last,
      best: run?.best?.value ?? null,
      metric,
      etaSeconds: status.state === 'running' && status.dir && epoch !== null ? eta(status.dir, epochs - epoch) : null,
      message: failedTask ? lastLogLine(log) : status.state === 'failed' || status.state === 'interrupted' ? (run?.message ?? null) : null,
      holder: status.holder ? `pid ${status.holder.pid} on ${status.holder.host}` : null,
      slurmTask,
      slurmState,
      log,
    };
  });
}

function metricsRows(dir: string): Record<string, string>[] {
  try {
    return readCsv(runPaths(dir).metrics);
  } catch {
    return [];
  }
}

/** The metric's value at the latest epoch that evaluated it. */
function lastEvaluated(dir: string, metric: string): number | undefined {
  const value = metricsRows(dir)
    .map((row) => row[metric])
    .filter((cell) => cell !== undefined && cell !== '')
    .pop();
  return value === undefined ? undefined : Number(value);
}

/** Seconds for the remaining epochs at the mean epoch time so far; null before the first epoch ends. */
function eta(dir: string, remaining: number): number | null {
  const seconds = metricsRows(dir).map((row) => Number(row.seconds));
  if (!seconds.length) return null;
  return (remaining * seconds.reduce((a, b) => a + b, 0)) / seconds.length;
}

/** A task log's last error line (acaf's own `acaf: ...`, else the last line). */
function lastLogLine(log: string | null): string | null {
  if (!log) return null;
  const lines = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
  return [...lines].reverse().find((line) => line.startsWith('acaf: ')) ?? lines.pop() ?? null;
}
