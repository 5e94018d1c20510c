import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { EvaluationBenchResult } from './evaluation-timer';
import type { TrainingBenchResult, TrainingBenchSpec } from './training-step-timer';

/** What each kind of measurement returns. */
export interface IsolatedResults {
  training: TrainingBenchResult;
  evaluation: EvaluationBenchResult;
}

/** A measurement for the worker: its kind and spec (for `evaluation`, `spec.batch` is the evaluation batch). */
export interface IsolatedJob {
  measure: keyof IsolatedResults;
  spec: TrainingBenchSpec;
}

/** A failed measurement's `timedOut` says it was stopped at the time limit (it may have been fine otherwise). */
export type IsolatedOutcome<Result> = { ok: true; result: Result } | { ok: false; reason: string; timedOut?: boolean };

/**
 * Runs one measurement in a fresh Node process (bench-worker.js next to this file): the peak-memory reading is then
 * that measurement's alone, and tfjs state (backend, kernels, leaked memory) cannot carry over between measurements.
 */
export function runIsolated<Measure extends keyof IsolatedResults>(
  measure: Measure,
  spec: TrainingBenchSpec,
  timeoutSeconds: number,
): Promise<IsolatedOutcome<IsolatedResults[Measure]>> {
  return new Promise((resolve) => {
    const job: IsolatedJob = { measure, spec };
    const child = fork(path.join(__dirname, 'bench-worker.js'), [JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    let outcome: IsolatedOutcome<IsolatedResults[Measure]> | undefined;
    child.on('message', (message) => (outcome = message as IsolatedOutcome<IsolatedResults[Measure]>));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (outcome) return resolve(outcome);
      const lastLine = stderr.trim().split('\n').pop() ?? '';
      if (timedOut) return resolve({ ok: false, reason: `took longer than ${timeoutSeconds} s (--timeout)`, timedOut });
      resolve({ ok: false, reason: `worker exited with ${code ?? signal}: ${lastLine}` });
    });
  });
}
