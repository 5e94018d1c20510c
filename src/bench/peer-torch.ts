import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** PyTorch's names in peer_torch_bench.py for the acaf networks it builds the same way. */
const ACAF_NETWORK_OF: Record<string, string> = { small_cnn: 'simple-cnn', resnet50_cifar: 'resnet50' };

export interface PeerMeasurement {
  network: string;
  imagesPerSecond: number;
  msPerStep: number;
}

/**
 * Runs the shared PyTorch CPU peer benchmark (`../shared/tools/peer_torch_bench.py` from the repository root,
 * Debian's python3-torch) with `threads` threads. Returns undefined, with the reason, when it cannot run here.
 */
export function runPeerTorchBench(repositoryRoot: string, threads: number): { results?: PeerMeasurement[]; skipped?: string } {
  const script = path.resolve(repositoryRoot, '..', 'shared', 'tools', 'peer_torch_bench.py');
  if (!fs.existsSync(script)) return { skipped: `${script} not found` };
  const run = spawnSync('/usr/bin/python3', [script, String(threads)], { encoding: 'utf8', timeout: 30 * 60 * 1000 });
  if (run.status !== 0)
    return { skipped: `python3 ${script} failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}` };
  const results: PeerMeasurement[] = [];
  for (const line of run.stdout.split('\n')) {
    // e.g. "small_cnn: 148.2 ms/step, 431.8 img/s (threads=2)"
    const match = /^(\w+): ([\d.]+) ms\/step, ([\d.]+) img\/s/.exec(line);
    if (match)
      results.push({ network: ACAF_NETWORK_OF[match[1]] ?? match[1], msPerStep: Number(match[2]), imagesPerSecond: Number(match[3]) });
  }
  return { results };
}
