import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import { wasmMemoryOf } from './simd';

/**
 * The manifest of tfjs-backend-wasm's private internals this package relies on. tfjs-backend-wasm 4.22 has no public
 * API for any of them, so a tfjs update may move one without notice; start-up checks every entry once
 * (checkInternals) and fails with one line naming those that changed, instead of training on garbage or hanging.
 *
 * - 'method': a method of BackendWasm.prototype; 'export': a named export of the module; 'flag': a registered tfjs
 *   flag; 'kernel': a kernel tfjs-backend-wasm registers for 'wasm' (the pack's kernels delegate to it);
 * - 'loader': text of the Emscripten loader in its Node bundle (`main` of its package.json); 'worker script': text of
 *   the pthread worker script embedded in that bundle (its `wasmWorkerContents`);
 * - 'backend': a value of the started backend (BackendWasm), by property path; `tensor data.` starts from the
 *   dataIdMap entry of a probe tensor. `threadedOnly` entries exist only with 2 or more threads.
 */
export type InternalEntry = { use: string } & (
  | { kind: 'method' | 'export' | 'flag' | 'kernel'; name: string }
  | { kind: 'loader' | 'worker script'; text: string }
  | { kind: 'backend'; path: string; type: 'function' | 'number' | 'array' | 'memory'; threadedOnly?: boolean }
);

const THREAD_SHIMS = 'threads.ts starts pthread workers under Node';
const MAIN_SCRIPT_NAMES = 'threads.ts defines the names the threaded main script reads from the bundle around it';

export const TFJS_WASM_INTERNALS: readonly InternalEntry[] = [
  // Tensors are arrays in the module's heap (kernels/wasm-heap.ts, kernels/identity.ts).
  { kind: 'method', name: 'makeOutput', use: 'kernels allocate their outputs and heap scratch' },
  { kind: 'method', name: 'typedArrayFromHeap', use: 'kernels read and write tensors in the heap' },
  { kind: 'method', name: 'disposeData', use: 'heap scratch is freed' },
  { kind: 'method', name: 'incRef', use: "Identity and Cast share their input's memory" },
  { kind: 'backend', path: 'dataIdMap.get', type: 'function', use: "a tensor's heap address" },
  { kind: 'backend', path: 'tensor data.memoryOffset', type: 'number', use: "a tensor's heap address" },
  { kind: 'backend', path: 'wasm memory', type: 'memory', use: 'the SIMD kernels import the heap (wasm.wasmMemory or wasm.asm.memory)' },
  // Threads (threads.ts).
  { kind: 'export', name: 'setThreadsCount', use: 'the thread count is set before the backend starts' },
  { kind: 'export', name: 'getThreadsCount', use: 'the thread count in use is reported' },
  { kind: 'flag', name: 'WASM_HAS_MULTITHREAD_SUPPORT', use: 'the threaded build is chosen under Node' },
  { kind: 'loader', text: 'nodeWorkerThreads = require("worker_threads")', use: `${THREAD_SHIMS} (Worker looked up at initialisation)` },
  { kind: 'loader', text: 'require$$4.cpus().length', use: `${THREAD_SHIMS} (the pool is sized from os.cpus())` },
  {
    kind: 'loader',
    text: 'factoryConfig.mainScriptUrlOrBlob = new Blob(',
    use: `${THREAD_SHIMS} (the main script reaches workers as a Blob)`,
  },
  { kind: 'loader', text: "var require$$0 = require('fs');", use: MAIN_SCRIPT_NAMES },
  { kind: 'loader', text: "var require$$1 = require('path');", use: MAIN_SCRIPT_NAMES },
  { kind: 'loader', text: "var require$$3 = require('perf_hooks');", use: MAIN_SCRIPT_NAMES },
  { kind: 'loader', text: "var require$$4 = require('os');", use: MAIN_SCRIPT_NAMES },
  {
    kind: 'worker script',
    text: 'importScripts:function(f){(0,eval)(fs.readFileSync(f,"utf8")',
    use: `${THREAD_SHIMS} (importScripts is rerouted)`,
  },
  { kind: 'worker script', text: 'self.onmessage=e=>', use: `${THREAD_SHIMS} (messages wait while the main script is read)` },
  { kind: 'worker script', text: 'if(e.data.cmd==="load")', use: `${THREAD_SHIMS} (the load message carries the main script)` },
  {
    kind: 'worker script',
    text: 'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}',
    use: `${THREAD_SHIMS} (a string names the main script)`,
  },
  {
    kind: 'backend',
    path: 'wasm.PThread.runningWorkers',
    type: 'array',
    threadedOnly: true,
    use: 'idle pthread workers are unreferenced so the process can exit',
  },
  // XNNPACK failures (xnnpack-failures.ts).
  {
    kind: 'loader',
    text: 'defaultPrintErr = function (str) { return fs.writeSync(2, str + "\\n"); }',
    use: "xnnpack-failures.ts intercepts fs.writeSync to turn XNNPACK's failure reports into errors",
  },
  // tfjs-backend-wasm's own kernels that the pack replaces and delegates to (runReplacedKernel).
  ...['BatchMatMul', '_FusedMatMul', 'Cast', 'FusedConv2D', 'GatherV2', 'Identity', 'Mean', 'Slice', 'Sum', 'Transpose'].map(
    (name): InternalEntry => ({ kind: 'kernel', name, use: "the pack's replacement delegates to it" }),
  ),
];

/** What an entry names, as the error line shows it. */
export function describeEntry(entry: InternalEntry): string {
  switch (entry.kind) {
    case 'method':
      return `BackendWasm.prototype.${entry.name}`;
    case 'export':
      return `export ${entry.name}`;
    case 'flag':
      return `flag ${entry.name}`;
    case 'kernel':
      return `kernel ${entry.name}`;
    case 'loader':
    case 'worker script':
      return `${entry.kind} text '${entry.text}'`;
    case 'backend':
      return `backend ${entry.path} (${entry.type})`;
  }
}

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

/** The loader's Node bundle, and the pthread worker script it embeds as a string literal. */
function bundleTexts(): { loader: string; workerScript: string } {
  const loader = fs.readFileSync(require.resolve(WASM_PACKAGE), 'utf8');
  const literal = /^var wasmWorkerContents = (".*");$/m.exec(loader);
  return { loader, workerScript: literal ? (JSON.parse(literal[1]) as string) : '' };
}

function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root);
}

function hasType(value: unknown, type: 'function' | 'number' | 'array' | 'memory'): boolean {
  if (type === 'array') return Array.isArray(value);
  if (type === 'memory') return value instanceof WebAssembly.Memory;
  return typeof value === type;
}

/** The backend-stage value an entry's path names: from the backend, its wasm memory, or a probe tensor's data. */
function backendValue(backend: unknown, path: string): unknown {
  if (path === 'wasm memory') return wasmMemoryOf(backend);
  if (!path.startsWith('tensor data.')) return valueAt(backend, path);
  const probe = tf.tensor1d([1, 2, 3, 4]);
  try {
    const dataIdMap = (backend as { dataIdMap?: { get?: (id: tf.DataId) => unknown } }).dataIdMap;
    return valueAt(typeof dataIdMap?.get === 'function' ? dataIdMap.get(probe.dataId) : undefined, path.slice('tensor data.'.length));
  } finally {
    probe.dispose();
  }
}

/**
 * The entries that do not hold. Stage 'loaded' (tfjs-backend-wasm required, the backend not started) checks all but
 * the 'backend' entries; stage 'started' (the wasm backend active) checks those, `threadedOnly` ones only when
 * `threaded`.
 */
export function brokenInternals(
  stage: 'loaded' | 'started',
  { manifest = TFJS_WASM_INTERNALS, threaded = false }: { manifest?: readonly InternalEntry[]; threaded?: boolean } = {},
): InternalEntry[] {
  const wasm = require(WASM_PACKAGE) as Record<string, unknown> & { BackendWasm?: { prototype: Record<string, unknown> } };
  const texts = stage === 'loaded' ? bundleTexts() : undefined;
  const flags = (tf.env() as unknown as { flagRegistry: Record<string, unknown> }).flagRegistry;
  const holds = (entry: InternalEntry): boolean => {
    switch (entry.kind) {
      case 'method':
        return typeof wasm.BackendWasm?.prototype[entry.name] === 'function';
      case 'export':
        return typeof wasm[entry.name] === 'function';
      case 'flag':
        return entry.name in flags;
      case 'kernel':
        return tf.getKernel(entry.name, 'wasm') !== undefined;
      case 'loader':
        return texts!.loader.includes(entry.text);
      case 'worker script':
        return texts!.workerScript.includes(entry.text);
      case 'backend':
        return hasType(backendValue(tf.backend(), entry.path), entry.type);
    }
  };
  const checked = manifest.filter((entry) =>
    stage === 'started' ? entry.kind === 'backend' && (threaded || !entry.threadedOnly) : entry.kind !== 'backend',
  );
  return checked.filter((entry) => !holds(entry));
}

/** One line naming every entry that does not hold, or undefined when all do. */
export function internalsReport(broken: InternalEntry[]): string | undefined {
  if (!broken.length) return undefined;
  const version = (require(`${WASM_PACKAGE}/package.json`) as { version: string }).version;
  const names = broken.map((entry) => `${describeEntry(entry)}: ${entry.use}`).join('; ');
  return (
    `tfjs-wasm-training: ${WASM_PACKAGE} ${version} changed ${broken.length === 1 ? 'an internal' : `${broken.length} internals`} ` +
    `it relies on (written for 4.22.0; see src/internals.ts): ${names}`
  );
}
