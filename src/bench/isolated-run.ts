import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { TrainingBenchResult, TrainingBenchSpec } from './training-step-timer';

/** A failed measurement's `timedOut` says it was stopped at the time limit (it may have been fine otherwise). */
export type IsolatedOutcome = { ok: true; result: TrainingBenchResult } | { ok: false; reason: string; timedOut?: boolean };

/**
 * Runs one measurement in a fresh Node process (bench-worker.js next to this file): the peak-memory reading is then
 * that measurement's alone, and tfjs state (backend, kernels, leaked memory) cannot carry over between measurements.
 */
export function runIsolated(spec: TrainingBenchSpec, timeoutSeconds: number): Promise<IsolatedOutcome> {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'bench-worker.js'), [JSON.stringify(spec)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    let outcome: IsolatedOutcome | undefined;
    child.on('message', (message) => (outcome = message as IsolatedOutcome));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (outcome) return resolve(outcome);
      const lastLine = stderr.trim().split('\n').pop() ?? '';
      if (timedOut) return resolve({ ok: false, reason: `took longer than ${timeoutSeconds} s (--timeout)`, timedOut });
      resolve({ ok: false, reason: `worker exited with ${code ?? signal}: ${lastLine}` });
    });
  });
}
