import * as tf from '@tensorflow/tfjs';
import { brokenInternals, describeEntry, startWasmTraining, TFJS_WASM_INTERNALS, type InternalEntry } from '../src';

/**
 * The manifest of tfjs-backend-wasm's private internals (src/internals.ts) against the installed tfjs-backend-wasm
 * 4.22: every entry holds, and every entry changed (as a tfjs update would move it) is reported by name.
 */

/** The entry as if tfjs-backend-wasm had renamed what it names. */
function changed(entry: InternalEntry): InternalEntry {
  switch (entry.kind) {
    case 'loader':
    case 'worker script':
      return { ...entry, text: `${entry.text}renamed` };
    case 'backend':
      return { ...entry, path: `${entry.path}Renamed` };
    default:
      return { ...entry, name: `${entry.name}Renamed` };
  }
}

const stageOf = (entry: InternalEntry) => (entry.kind === 'backend' ? 'started' : 'loaded');

test('the manifest names each internal the package touches', () => {
  const described = TFJS_WASM_INTERNALS.map(describeEntry).join('\n');
  for (const internal of [
    'BackendWasm.prototype.makeOutput',
    'BackendWasm.prototype.typedArrayFromHeap',
    'BackendWasm.prototype.disposeData',
    'BackendWasm.prototype.incRef',
    'backend dataIdMap.get',
    'backend tensor data.memoryOffset',
    'backend wasm memory',
    'backend wasm.PThread.runningWorkers',
    'flag WASM_HAS_MULTITHREAD_SUPPORT',
    'fs.writeSync(2',
    "worker script text 'importScripts",
  ])
    expect(described).toContain(internal);
});

test('a changed manifest entry fails start-up with one line naming it, before the backend starts', async () => {
  const entry = TFJS_WASM_INTERNALS.find((candidate) => candidate.kind === 'loader' && candidate.text.includes('cpus()'))!;
  const manifest = TFJS_WASM_INTERNALS.map((candidate) =>
    candidate === entry ? { ...entry, text: 'require$$4.availableParallelism()' } : candidate,
  );
  const failure = startWasmTraining({ threads: 1, manifest });
  await expect(failure).rejects.toThrow(
    'tfjs-wasm-training: @tensorflow/tfjs-backend-wasm 4.22.0 changed an internal it relies on (written for 4.22.0; see src/internals.ts): ' +
      "loader text 'require$$4.availableParallelism()': threads.ts starts pthread workers under Node (the pool is sized from os.cpus())",
  );
  await expect(failure).rejects.toThrow(/^[^\n]+$/);
  expect(tf.getBackend()).not.toBe('wasm');
});

test('with the real manifest, start-up succeeds and every entry holds', async () => {
  expect(await startWasmTraining({ threads: 1 })).toBe(1);
  expect(brokenInternals('loaded')).toEqual([]);
  expect(brokenInternals('started')).toEqual([]);
});

test('a changed backend entry fails start-up once the backend has started', async () => {
  const manifest = TFJS_WASM_INTERNALS.map((entry) =>
    entry.kind === 'backend' && entry.path === 'dataIdMap.get' ? changed(entry) : entry,
  );
  await expect(startWasmTraining({ threads: 1, manifest })).rejects.toThrow(
    "backend dataIdMap.getRenamed (function): a tensor's heap address",
  );
});

test.each(TFJS_WASM_INTERNALS.map((entry) => [describeEntry(entry), entry] as const))('changed, %s is reported', async (_name, entry) => {
  await startWasmTraining({ threads: 1 });
  const renamed = changed(entry);
  // Threaded-only entries are checked when the backend runs threads; this process runs one.
  expect(brokenInternals(stageOf(entry), { manifest: [renamed], threaded: true })).toEqual([renamed]);
  expect(brokenInternals(stageOf(entry), { manifest: [entry], threaded: false })).toEqual([]);
});
