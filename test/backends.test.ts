import * as tf from '@tensorflow/tfjs';
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
  expect(selection.reason).toMatch(/^auto: first usable of tensorflow-gpu, tensorflow, wasm, cpu/);
  if (expected === 'wasm') {
    expect(selection.skipped.map((skip) => skip.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(selection.reason).toContain('@tensorflow/tfjs-node is not installed');
    expect(selection.detail).toMatch(/^\d+ threads?, (kernels wasm-simd \+ onednn \(oneDNN [\d.]+\)|wasm kernels only: .+)$/);
  }
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
