import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { BackendSelection } from '../backends';

/** The git commit of the acaf checkout, or null outside a git work tree. */
function gitCommit(): string | null {
  try {
    const cwd = path.join(__dirname, '..', '..');
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** env.json: what software and machine produced a run. */
export function environment(backend: BackendSelection, seed: number): Record<string, unknown> {
  const acafVersion = (require(path.join(__dirname, '..', '..', 'package.json')) as { version: string }).version;
  return {
    acaf: acafVersion,
    tfjs: tf.version.tfjs,
    node: process.version,
    backend: backend.name,
    backendDetail: backend.detail ?? null,
    backendReason: backend.reason,
    kernels: backend.kernels?.() ?? null,
    seed,
    gitCommit: gitCommit(),
    host: os.hostname(),
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
  };
}
