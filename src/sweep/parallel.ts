import { ChildProcess, spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import * as cliProgress from 'cli-progress';
import { AcafError } from '../errors';
import { CLAIM_HELD_EXIT } from '../run-directory/claim';
import type { OutputMode } from '../trainers/progress';

/** One run for a worker: its name, and the `acaf run` arguments that run exactly it (`<config> --index K ...`). */
export interface ChildRun {
  name: string;
  args: string[];
}

export interface ParallelOptions {
  jobs: number;
  /** GPU ids, handed out one per worker slot in turn. */
  devices?: string[];
  mode: OutputMode;
  say: (line: string) => void;
}

const ACAF = path.join(__dirname, '..', '..', 'bin', 'run.js');

export function parseDevices(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const devices = text.split(',').map((device) => device.trim());
  if (devices.some((device) => !/^[0-9]+$/.test(device))) throw new AcafError(`--devices ${text}: expected GPU ids such as 0,1`, 2);
  return devices;
}

/**
 * Runs the runs `jobs` at a time, each as its own `acaf run ... --index K --json` process (each claims its cell
 * as any run does, so Slurm tasks or other workers can share the table), with the machine's cores split between
 * them (ACAF_WASM_THREADS) and, with devices, one GPU each. Their JSON progress becomes one combined view.
 */
export async function runInParallel(runs: ChildRun[], options: ParallelOptions): Promise<void> {
  const threads = String(Math.max(1, Math.floor(os.availableParallelism() / options.jobs)));
  const view = progressView(options.mode);
  const queue = [...runs];
  const children = new Set<ChildProcess>();
  const failures: string[] = [];
  let stopping = false;
  // Children run in their own process group: a Ctrl-C reaches only this process, which passes it on once.
  const forward = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`acaf: ${signal} received; passing it to the ${children.size} running runs\n`);
    children.forEach((child) => child.kill(signal));
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);

  const worker = async (slot: number) => {
    for (let run = queue.shift(); run && !stopping; run = queue.shift()) {
      const env: NodeJS.ProcessEnv = { ...process.env, ACAF_WASM_THREADS: process.env.ACAF_WASM_THREADS ?? threads };
      if (options.devices) env.CUDA_VISIBLE_DEVICES = options.devices[slot % options.devices.length];
      const child = spawn(process.execPath, [ACAF, 'run', ...run.args, '--json'], {
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      const { code, lastError } = await follow(child, run.name, view);
      children.delete(child);
      if (code === 0) continue;
      if (code === CLAIM_HELD_EXIT) options.say(`skipped: ${lastError.replace(/^acaf: /, '')}`);
      else failures.push(`${run.name}: ${lastError.replace(/^acaf: /, '') || `exited with code ${code}`}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs, runs.length) }, (_, slot) => worker(slot)));
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    view.stop();
  }
  if (stopping) throw new AcafError('stopped by a signal; rerun the same command to resume the interrupted runs', 130);
  if (failures.length) throw new AcafError(`${failures.length} of ${runs.length} runs failed:\n${failures.join('\n')}`);
}

/** Feeds a child's JSON lines to the view; resolves with its exit code and its last error line. */
function follow(child: ChildProcess, name: string, view: ProgressView): Promise<{ code: number; lastError: string }> {
  let lastError = '';
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      view.event(name, JSON.parse(line) as Record<string, unknown>);
    } catch {
      view.event(name, { event: 'output', message: line });
    }
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    if (/^acaf: /.test(line) && !/--verbose for the stack trace/.test(line)) lastError = line;
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), lastError })));
}

interface ProgressView {
  event(run: string, event: Record<string, unknown>): void;
  stop(): void;
}

const fixed = (value: unknown) => (typeof value === 'number' ? value.toFixed(4) : '-');

/** Bars on a terminal (one per running run), else one line per event; --json passes the events on, tagged with the run. */
function progressView(mode: OutputMode): ProgressView {
  const write = (text: string) => process.stdout.write(`${text}\n`);
  if (mode === 'quiet') return { event() {}, stop() {} };
  if (mode === 'json') return { event: (run, event) => write(JSON.stringify({ run, ...event })), stop() {} };
  const epochs = new Map<string, number>();
  if (mode === 'plain') {
    return {
      event(run, event) {
        if (event.event === 'start') {
          epochs.set(run, Number(event.epochs));
          write(`[${run}] started in ${String(event.runDir)} (${String(event.backend)}) at epoch ${String(event.firstEpoch)}`);
        } else if (event.event === 'epoch')
          write(
            `[${run}] epoch ${String(event.epoch)}/${epochs.get(run)}  loss ${fixed(event.train_loss)}  test acc ${fixed(event.test_accuracy)}`,
          );
        else if (event.event === 'finish') write(`[${run}] complete: ${String(event['run directory'])}`);
        else if (event.event === 'warning' || event.event === 'output') write(`[${run}] ${String(event.message)}`);
      },
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar(
    { format: '{run} [{bar}] epoch {value}/{total} {info} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    event(run, event) {
      if (event.event === 'start') bars.set(run, multi.create(Number(event.epochs), Number(event.firstEpoch) - 1, { run, info: '' }));
      else if (event.event === 'epoch') bars.get(run)?.update(Number(event.epoch), { info: `test acc ${fixed(event.test_accuracy)}` });
      else if (event.event === 'warning' || event.event === 'output') multi.log(`[${run}] ${String(event.message)}\n`);
    },
    stop: () => multi.stop(),
  };
}
