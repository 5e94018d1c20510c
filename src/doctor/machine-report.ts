import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AUTO_ORDER } from '../backends/select';
import { NativeBackendUnusable } from '../backends/native';
import { kernelReport } from 'tfjs-wasm-training';
import { wasmThreadCount } from '../backends/wasm';
import type { BackendName } from '../backends/types';
import { backends, datasets } from '../registry';

export interface BackendCheck {
  name: BackendName;
  usable: boolean;
  /** What it reported when it started (wasm: its threads), or why it cannot be used. */
  detail: string;
  /** What to do to make it usable, where something can be done. */
  fix?: string;
}

export interface DatasetCheck {
  name: string;
  found: boolean;
  /** The folder it would be read from, or what is missing and where it was looked for. */
  detail: string;
  /** The command that downloads it, where acaf can. */
  fetch?: string;
}

export interface MachineReport {
  node: string;
  platform: string;
  cpu: { cores: number; model: string };
  memory: { totalGiB: number; freeGiB: number };
  backends: BackendCheck[];
  /** What `backend: auto` would pick for training. */
  auto: BackendName | null;
  /** native: oneDNN's version when the native kernels are in use, else why not. */
  wasm: { simd: boolean; threads: number; threadsFrom: string; kernelSources: string[]; native: string };
  datasets: DatasetCheck[];
  /** The Slurm client tools on PATH, with their version, or null when sbatch is absent. */
  slurm: { sbatch: string; version: string } | null;
}

/** The quickstart's data, shipped in the package. */
export const QUICKSTART_SAMPLE = path.join(__dirname, '..', '..', 'data', 'fashion-mnist-sample');

/** Datasets that `acaf data fetch` can download. */
const FETCHABLE = new Set(['cifar10', 'cifar100', 'fashion-mnist']);

const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 10) / 10;

/** Activates each backend in turn (the native ones only where installed), as `backend: <name>` would. */
async function checkBackends(): Promise<BackendCheck[]> {
  const checks: BackendCheck[] = [];
  for (const name of AUTO_ORDER) {
    const backend = backends.build(name, {}, undefined);
    try {
      const detail = (await backend.activate()) || 'loads';
      const cannotTrain = backend.cannotTrainReason();
      checks.push(cannotTrain ? { name, usable: false, detail: cannotTrain } : { name, usable: true, detail });
    } catch (error) {
      const fix = error instanceof NativeBackendUnusable ? error.fix : undefined;
      checks.push({ name, usable: false, detail: (error as Error).message, ...(fix ? { fix } : {}) });
    }
  }
  return checks;
}

function checkDatasets(cwd: string): DatasetCheck[] {
  const checks: DatasetCheck[] = [];
  for (const plugin of datasets.list()) {
    if (!plugin.locate) continue;
    const fetch = FETCHABLE.has(plugin.name) ? `acaf data fetch ${plugin.name}` : undefined;
    try {
      checks.push({ name: plugin.name, found: true, detail: plugin.locate({ type: plugin.name }, { cwd, seed: 1 }) });
    } catch (error) {
      checks.push({ name: plugin.name, found: false, detail: (error as Error).message, ...(fetch ? { fetch } : {}) });
    }
  }
  const sample = datasets.get('fashion-mnist').locate!({ type: 'fashion-mnist', dir: QUICKSTART_SAMPLE }, { cwd, seed: 1 });
  checks.push({ name: 'quickstart sample (Fashion-MNIST subset)', found: true, detail: sample });
  return checks;
}

function checkSlurm(): MachineReport['slurm'] {
  try {
    const version = execFileSync('sbatch', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).trim();
    const sbatch = execFileSync('sh', ['-c', 'command -v sbatch'], { encoding: 'utf8' }).trim();
    return { sbatch, version };
  } catch {
    return null;
  }
}

/** The wasm backend's kernel sources, and the native kernels' version or why they are not in use. */
function wasmKernels(): { kernelSources: string[]; native: string } {
  const { sources, native } = kernelReport();
  return { kernelSources: sources, native: 'version' in native ? native.version : `not in use: ${native.unused}` };
}

/** Everything `acaf doctor` reports; activates backends, so the active tfjs backend is whatever was checked last. */
export async function machineReport(cwd: string): Promise<MachineReport> {
  const backendChecks = await checkBackends();
  // The flags tfjs-backend-wasm evaluates by compiling small probe modules.
  const simd = Boolean(
    await tf
      .env()
      .getAsync('WASM_HAS_SIMD_SUPPORT')
      .catch(() => false),
  );
  const wasmCheck = backendChecks.find((check) => check.name === 'wasm');
  const wasmThreads = wasmCheck?.usable ? Number(/^(\d+) thread/.exec(wasmCheck.detail)?.[1] ?? 1) : 0;
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: { cores: cpus.length, model: cpus[0]?.model.trim() ?? 'unknown' },
    memory: { totalGiB: gib(os.totalmem()), freeGiB: gib(os.freemem()) },
    backends: backendChecks,
    auto: backendChecks.find((check) => check.usable)?.name ?? null,
    wasm: { simd, threads: wasmThreads, threadsFrom: wasmThreadCount().source, ...wasmKernels() },
    datasets: checkDatasets(cwd),
    slurm: checkSlurm(),
  };
}
