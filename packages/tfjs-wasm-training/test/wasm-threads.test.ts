import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Multithreaded wasm (src/threads.ts) runs in child processes, one per thread count: a process holds
 * one wasm module, and the check that a process with pthread workers exits by itself needs a process of its own.
 * The children run the built package (dist/, which `npm test` builds first).
 */
const dist = path.resolve(__dirname, '..', 'dist');

/** A forward and backward pass through convolution, max pooling and a dense layer; prints threads and values. */
const childScript = `
const tf = require('@tensorflow/tfjs');
require(${JSON.stringify(dist)}).startWasmTraining({ threads: Number(process.env.THREADS) }).then((threads) => {
  const x = tf.randomNormal([8, 16, 16, 8], 0, 1, 'float32', 1);
  const filter = tf.randomNormal([3, 3, 8, 16], 0, 0.3, 'float32', 2);
  const dense = tf.randomNormal([8 * 8 * 16, 10], 0, 0.1, 'float32', 3);
  const loss = (x, filter, dense) =>
    tf.sum(tf.square(tf.matMul(tf.reshape(tf.maxPool(tf.relu(tf.conv2d(x, filter, 1, 'same')), 2, 2, 'valid'), [8, -1]), dense)));
  const gradients = tf.grads(loss)([x, filter, dense]);
  const values = gradients.map((gradient) => Array.from(gradient.dataSync()));
  process.stdout.write(JSON.stringify({ threads, backend: tf.getBackend(), values }));
});
`;

function runChild(threads: string): { threads: number; backend: string; values: number[][] } {
  const child = spawnSync(process.execPath, ['-e', childScript], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, THREADS: threads },
    encoding: 'utf8',
    timeout: 60_000,
  });
  // A hanging pthread worker would keep the child alive until the timeout kills it.
  expect(child.signal).toBeNull();
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout);
}

test('the built backend is there (npm test builds it first)', () => {
  expect(fs.existsSync(path.join(dist, 'threads.js'))).toBe(true);
});

test('2 threads start under Node, give the same gradients as 1 thread, and the process exits by itself', () => {
  const single = runChild('1');
  const multi = runChild('2');
  expect(single).toMatchObject({ threads: 1, backend: 'wasm' });
  expect(multi).toMatchObject({ threads: 2, backend: 'wasm' });
  expect(multi.values.map((values) => values.length)).toEqual(single.values.map((values) => values.length));
  multi.values.forEach((values, input) => {
    const scale = Math.max(...single.values[input].map(Math.abs));
    const worst = Math.max(...values.map((value, index) => Math.abs(value - single.values[input][index])));
    expect(worst / scale).toBeLessThan(1e-5);
  });
});
