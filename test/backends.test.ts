import * as tf from '@tensorflow/tfjs';
import { oneDnnBackendReport } from 'tfjs-wasm-training';
import { AUTO_ORDER, selectBackend } from '../src/backends';
import { AcafError } from '../src/errors';
import { backends } from '../src/registry';
import '../src/plugins';

// libtensorflow cannot be installed on the machines these tests run on (no internet at install time).
const nativeInstalled = (name: string) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};

test('every backend of the auto order is registered', () => {
  expect([...AUTO_ORDER].sort()).toEqual(backends.names());
});

test('auto takes the first usable backend for training and says why it skipped the others', async () => {
  const selection = await selectBackend('auto', { training: true });
  const expected = nativeInstalled('@tensorflow/tfjs-node-gpu')
    ? 'tensorflow-gpu'
    : nativeInstalled('@tensorflow/tfjs-node')
      ? 'tensorflow'
      : 'wasm';
  expect(selection.name).toBe(expected);
  expect(tf.getBackend()).toBe(expected === 'wasm' ? 'wasm' : 'tensorflow');
  expect(selection.reason).toMatch(/^auto: first usable of tensorflow-gpu, tensorflow, wasm, onednn, cpu/);
  if (expected === 'wasm') {
    expect(selection.skipped.map((skip) => skip.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(selection.reason).toContain('@tensorflow/tfjs-node is not installed');
    expect(selection.detail).toMatch(/^\d+ threads?, (kernels wasm-simd \+ onednn \(oneDNN [\d.]+\)|wasm kernels only: .+)$/);
  }
});

test('auto passes over the backend it is asked to, naming why, and takes the next usable one', async () => {
  const selection = await selectBackend('auto', { training: true, passOver: { name: 'wasm', reason: 'its heap is too small' } });
  const oneDnnBuilt = 'version' in oneDnnBackendReport().native;
  if (nativeInstalled('@tensorflow/tfjs-node')) return;
  expect(selection.name).toBe(oneDnnBuilt ? 'onednn' : 'cpu');
  expect(tf.getBackend()).toBe(selection.name);
  expect(selection.reason).toContain('; wasm (its heap is too small)');
  if (oneDnnBuilt) expect(selection.detail).toMatch(/^\d+ threads?, kernels cpu \+ onednn \(oneDNN [\d.]+\)$/);
});

test('an explicit backend that is not installed is a one-line error naming it', async () => {
  if (nativeInstalled('@tensorflow/tfjs-node')) return;
  await expect(selectBackend('tensorflow', { training: true })).rejects.toThrow(
    "backend 'tensorflow' cannot be used: @tensorflow/tfjs-node is not installed",
  );
});

test('an explicit cpu backend is used as asked', async () => {
  const selection = await selectBackend('cpu', { training: true });
  expect(selection).toMatchObject({ name: 'cpu', reason: 'requested by the config', skipped: [] });
  expect(tf.getBackend()).toBe('cpu');
});

test('a malformed ACAF_WASM_THREADS is refused with one line naming it, before wasm starts', async () => {
  const threads = process.env.ACAF_WASM_THREADS;
  process.env.ACAF_WASM_THREADS = 'two';
  try {
    const activation = backends.build('wasm', {}, undefined).activate();
    await expect(activation).rejects.toThrow(AcafError);
    await expect(activation).rejects.toThrow("ACAF_WASM_THREADS must be a whole number >= 1, got 'two'");
    expect(tf.getBackend()).not.toBe('wasm');
  } finally {
    process.env.ACAF_WASM_THREADS = threads;
  }
});
