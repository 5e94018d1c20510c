#!/usr/bin/env node
// Where a training step's time goes, kernel by kernel: the exclusive milliseconds per step of each tfjs kernel and its
// calls per step, as `acaf bench` trains (ReLU, plain SGD, random batch of 64, 10 classes), one table:
//   node scripts/profile-training-step.js <network> [size] [steps] [backend]
// (defaults 32, 5, wasm). Each kernel is timed around its call inside the step (a kernel's own calls to other kernels
// are not counted twice); the first steps are untimed warm-up, as in the bench. The step time beside the table
// includes the timing itself. Run `npm run build` first. bench/README.md's per-kernel figures come from it.
require('../dist/plugins');
const tf = require('@tensorflow/tfjs');
const { buildBenchModel, syntheticBatch } = require('../dist/bench/training-step-timer');
const { optimizers } = require('../dist/registry');
const { trainStep } = require('../dist/tasks/classification/train-step');

const [network, size = '32', steps = '5', backend = 'wasm'] = process.argv.slice(2);
if (!network) {
  console.error('usage: node scripts/profile-training-step.js <network> [size] [steps] [backend]');
  process.exit(2);
}
const WARMUP = 3;

/** Wraps every kernel of `backendName` to add its exclusive time to `totals` while `timing.on`. */
function timeKernels(backendName, totals, timing) {
  const open = []; // time spent in nested kernel calls, per open call
  for (const config of tf.getKernelsForBackend(backendName)) {
    const run = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const start = performance.now();
        open.push(0);
        try {
          return run(args);
        } finally {
          const elapsed = performance.now() - start;
          const nested = open.pop();
          if (open.length) open[open.length - 1] += elapsed;
          if (timing.on) {
            const total = totals.get(config.kernelName) ?? { ms: 0, calls: 0 };
            total.ms += elapsed - nested;
            total.calls++;
            totals.set(config.kernelName, total);
          }
        }
      },
    });
  }
}

(async () => {
  const inputShape = [Number(size), Number(size), 3];
  const spec = { network, backend, batch: 64, steps: Number(steps), warmup: WARMUP, inputShape, numClasses: 10 };
  // Selects the backend, which registers its kernels: they are wrapped after.
  const { model } = await buildBenchModel(spec);
  const totals = new Map();
  const timing = { on: false };
  timeKernels(tf.getBackend(), totals, timing);
  const { optimizer } = optimizers.build('sgd', optimizers.withDefaults('sgd', { lr: 0.01 }), undefined);
  const batch = syntheticBatch(spec.batch, inputShape, spec.numClasses);
  const settings = { numClasses: spec.numClasses, labelSmoothing: 0, weightDecay: 0, outputSoftmax: false };
  for (let step = 0; step < WARMUP; step++) trainStep(model, optimizer, batch, settings);
  timing.on = true;
  const start = performance.now();
  for (let step = 0; step < spec.steps; step++) trainStep(model, optimizer, batch, settings);
  const msPerStep = (performance.now() - start) / spec.steps;
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = rows.reduce((sum, [, total]) => sum + total.ms, 0) / spec.steps;
  console.log(`${network} on ${tf.getBackend()}, ${size}x${size}, batch 64: ${msPerStep.toFixed(1)} ms a step, ${kernelMs.toFixed(1)} ms in kernels`);
  console.log(`${'kernel'.padEnd(36)} ${'ms/step'.padStart(8)} ${'calls/step'.padStart(10)}`);
  for (const [kernelName, total] of rows) {
    console.log(`${kernelName.padEnd(36)} ${(total.ms / spec.steps).toFixed(2).padStart(8)} ${String(total.calls / spec.steps).padStart(10)}`);
  }
  model.dispose();
  optimizer.dispose();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
