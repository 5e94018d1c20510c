import { spawnSync } from 'child_process';
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
