import { spawn, spawnSync } from 'child_process';
import * as path from 'path';

export const repoRoot = path.join(__dirname, '..', '..');

/** Runs the built CLI (`npm test` builds dist/ first) and returns its exit code and output. */
export function acaf(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the built CLI and sends it SIGINT once its output matches `when` (e.g. the end of epoch 1). */
export async function acafInterrupted(args: string[], when: RegExp) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'run.js'), ...args], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (when.test(stdout) && !child.killed) child.kill('SIGINT');
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** Runs the built CLI without blocking the event loop (for tests whose servers run in the test process). */
export async function acafAsync(args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'run.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
