import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The interpreter of Debian's python3-torch (a pyenv or virtualenv python3 on PATH usually lacks torch). */
export const PEER_PYTHON = '/usr/bin/python3';

/** What the peer measures: the same networks, batch, input and width as acaf's bench, with `threads` threads. */
export interface PeerSpec {
  networks: string[];
  batch: number;
  steps: number;
  /** Untimed steps (and evaluation passes) before the timed ones. */
  warmup: number;
  size: number;
  numClasses: number;
  widthMultiplier: number;
  threads: number;
  /** Also time inference at this batch size (model.eval(), torch.no_grad()); 0 or absent: no. */
  evalBatch?: number;
  /** acaf's trainable parameter count per network; the peer refuses to time a network whose count differs. */
  expectedParameters: Record<string, number>;
  /** Build and count only, time nothing. */
  countOnly?: boolean;
}

/** One network's peer outcome: a measurement, or why there is none (no peer network, a count mismatch, a failure). */
export interface PeerResult {
  network: string;
  parameters?: number;
  imagesPerSecond?: number;
  msPerStep?: number;
  evalImagesPerSecond?: number;
  evalMsPerBatch?: number;
  threads?: number;
  /** The peer process's resident-set high-water mark after the training steps. */
  peakMemoryMB?: number;
  /** PyTorch's version. */
  torch?: string;
  error?: string;
}

/** The in-repository PyTorch peer, bench/peer_torch.py. */
export function peerScript(repositoryRoot: string): string {
  return path.join(repositoryRoot, 'bench', 'peer_torch.py');
}

/**
 * Runs bench/peer_torch.py with Debian's python3-torch. Returns its per-network results, or, when it cannot run
 * here at all (no python3, no torch), the reason in one line.
 */
export function runPeerTorchBench(repositoryRoot: string, spec: PeerSpec): { results?: PeerResult[]; skipped?: string } {
  const script = peerScript(repositoryRoot);
  const counts = Object.entries(spec.expectedParameters).map(([network, count]) => `${network}=${count}`);
  const args = [
    script,
    ...['--networks', spec.networks.join(','), '--threads', String(spec.threads), '--batch', String(spec.batch)],
    ...['--steps', String(spec.steps), '--warmup', String(spec.warmup), '--size', String(spec.size)],
    ...['--classes', String(spec.numClasses)],
    ...['--width', String(spec.widthMultiplier), ...(counts.length ? ['--expect-params', counts.join(',')] : [])],
    ...(spec.evalBatch ? ['--eval-batch', String(spec.evalBatch)] : []),
    ...(spec.countOnly ? ['--count-only'] : []),
  ];
  // torch.set_num_threads bounds PyTorch's OpenMP threads, not OpenBLAS's own (Debian's torch uses OpenBLAS for
  // fully connected layers), which would otherwise take every core.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(spec.threads) };
  const run = spawnSync(PEER_PYTHON, args, { encoding: 'utf8', env, timeout: 30 * 60 * 1000 });
  const results = (run.stdout ?? '')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as PeerResult);
  if (results.length === 0) {
    const reason = (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n').pop();
    return { skipped: `${PEER_PYTHON} ${path.relative(repositoryRoot, script)} failed: ${reason}` };
  }
  return { results };
}
