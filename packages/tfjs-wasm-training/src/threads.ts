import * as tf from '@tensorflow/tfjs';
import { resolveObjectURL } from 'node:buffer';
// The module objects themselves (not import-star copies): the loader reads `Worker` and `cpus` from them.
import os = require('node:os');
import workerThreads = require('node:worker_threads');

/**
 * Multithreaded tfjs-backend-wasm under Node, without touching node_modules.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build but never uses it under Node (its WASM_HAS_MULTITHREAD_SUPPORT
 * flag says false there), because the Emscripten loader starts each pthread worker from a blob URL and hands it its
 * main script as a Blob, which Node's worker_threads cannot load. Shims make it start:
 * - in this thread, while the module initialises, `worker_threads.Worker` (which the loader looks up then) is a
 *   subclass that starts a blob-URL worker as PTHREAD_BOOTSTRAP, passing it the script Blob itself, and `os.cpus()`
 *   reports two logical cores per requested thread (the module caps its pool at half the logical cores it sees);
 * - in the worker, PTHREAD_BOOTSTRAP reads that script, runs it, and lets its `importScripts` read the main-script
 *   Blob. It also defines the names the main script expects from the tfjs bundle around it.
 * Every loader detail these shims rely on is an entry of the manifest (./internals), checked at start-up.
 */

/** Runs inside each pthread worker (plain JavaScript: it is evaluated there as it stands). */
const PTHREAD_BOOTSTRAP = `
const { workerData } = require('worker_threads');
// Names the threaded module's factory reads from the tfjs bundle that normally surrounds it.
Object.assign(globalThis, {
  commonjsGlobal: globalThis,
  require$$0: require('fs'),
  require$$1: require('path'),
  require$$3: require('perf_hooks'),
  require$$4: require('os'),
  _scriptDir: undefined,
  __values: (o) => o[Symbol.iterator](),
  __read: (o, n) => (n === undefined ? [...o] : [...o].slice(0, n)),
  __spreadArray: (to, from) => to.concat(Array.from(from)),
});
const MAIN_SCRIPT = 'tfjs-wasm-training:main-script';
workerData.workerScript.text().then((workerScript) => {
  (0, eval)(workerScript);
  const readFile = globalThis.importScripts;
  let mainScript;
  globalThis.importScripts = (file) => (file === MAIN_SCRIPT ? (0, eval)(mainScript) : readFile(file));
  const handle = globalThis.onmessage;
  // Messages wait, in order, while the main script Blob is read.
  let queue = Promise.resolve();
  globalThis.onmessage = (event) => {
    queue = queue
      .then(async () => {
        if (event.data.cmd === 'load' && typeof event.data.urlOrBlob !== 'string') {
          mainScript = await event.data.urlOrBlob.text();
          event.data.urlOrBlob = MAIN_SCRIPT;
        }
        handle(event);
      })
      .catch((error) => setImmediate(() => { throw error; }));
  };
});
`;

/** Starts a blob-URL script (the loader's pthread worker) as PTHREAD_BOOTSTRAP; any other script as it is. */
class BlobUrlWorker extends workerThreads.Worker {
  constructor(script: string | URL, options?: workerThreads.WorkerOptions) {
    const blob = typeof script === 'string' && script.startsWith('blob:') ? resolveObjectURL(script) : undefined;
    if (blob) super(PTHREAD_BOOTSTRAP, { ...options, eval: true, workerData: { workerScript: blob } });
    else super(script, options);
  }
}

/** Runs `initialise` (which initialises the threaded wasm module for `threads` threads) with the shims in place. */
export async function withNodeThreadShims<T>(threads: number, initialise: () => Promise<T>): Promise<T> {
  const threadModule = workerThreads as { Worker: typeof workerThreads.Worker };
  const osModule = os as { cpus: typeof os.cpus };
  const [originalWorker, originalCpus] = [threadModule.Worker, osModule.cpus];
  const cpus = originalCpus();
  threadModule.Worker = BlobUrlWorker;
  osModule.cpus = () => Array.from({ length: 2 * threads }, (_, index) => cpus[index % cpus.length]);
  try {
    return await initialise();
  } finally {
    threadModule.Worker = originalWorker;
    osModule.cpus = originalCpus;
  }
}

/**
 * The loader keeps a worker that runs a thread referenced, so the pool's idle threads would keep Node (the CLI, jest)
 * alive forever: unreferenced, they end with the process.
 */
export function letProcessExitWithThreads(wasmModule: { PThread?: { runningWorkers: workerThreads.Worker[] } }): void {
  for (const worker of wasmModule.PThread?.runningWorkers ?? []) worker.unref();
}

/**
 * Initialises tfjs-backend-wasm (loaded, kernels registered) as the active backend with `threads` threads, falling
 * back to one thread, with a one-line warning saying why, when the threaded build does not start. Returns the thread
 * count in use.
 */
export async function startWasmBackend(threads: number): Promise<number> {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  if (tf.findBackend('wasm')) {
    await tf.setBackend('wasm');
    return wasm.getThreadsCount();
  }
  if (threads > 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    const failure = await withNodeThreadShims(threads, () => tf.setBackend('wasm')).then(
      (ok) => (ok ? undefined : 'its initialisation failed'),
      (error: Error) => error.message.split('\n')[0],
    );
    if (!failure) {
      letProcessExitWithThreads((tf.backend() as unknown as { wasm: Parameters<typeof letProcessExitWithThreads>[0] }).wasm);
      return wasm.getThreadsCount();
    }
    console.warn(`tfjs-wasm-training: multithreaded wasm did not start (${failure}); using 1 thread`);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  return 1;
}
