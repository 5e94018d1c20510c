#!/usr/bin/env node
// Measures the memory of one training step on the wasm backend and prints it beside acaf's estimate, one JSON line:
//   node scripts/measure-training-memory.js <network> <size> <batch> [optimizer] [activation] [accumulate]
// `heapMB`: the WebAssembly heap after a warm-up step and a measured one (it only grows, so it holds the peak);
// `tensorPeakMB`: tfjs's count of live tensor bytes at the peak of the measured step; `rssMB`: the process's peak
// resident set (what `acaf bench` prints); `estimateMB`: src/memory's estimate. Run `npm run build` first; one
// measurement per process, as the heap never shrinks. The calibration in docs/memory.md was made with it.
require('../dist/plugins');
const tf = require('@tensorflow/tfjs');
const { selectBackend } = require('../dist/backends');
const { buildModel } = require('../dist/builders/model');
const { activations, networks, optimizers } = require('../dist/registry');
const { trainStep } = require('../dist/tasks/classification/train-step');
const { syntheticBatch } = require('../dist/bench/training-step-timer');
const { estimateTrainingMemory, measureOptimizer } = require('../dist/memory/training-memory');
const { wasmMemoryOf } = require('tfjs-wasm-training/dist/simd');

const [network, size, batch, optimizerType = 'sgd', activation = 'relu', accumulate = '1'] = process.argv.slice(2);
if (!network || !size || !batch) {
  console.error('usage: node scripts/measure-training-memory.js <network> <size> <batch> [optimizer] [activation] [accumulate]');
  process.exit(2);
}
const MB = 1024 ** 2;
const numClasses = 100;
(async () => {
  await selectBackend('wasm', { training: true });
  const inputShape = [Number(size), Number(size), 3];
  const { model } = buildModel(
    { network: networks.withDefaults(network, { variant: 'paper' }), activation: activations.withDefaults(activation) },
    { inputShape, numClasses },
  );
  const build = () => optimizers.build(optimizerType, optimizers.withDefaults(optimizerType, { lr: 0.01 }), undefined).optimizer;
  const probe = build();
  const footprint = await measureOptimizer(probe);
  probe.dispose();
  const parts = Number(accumulate);
  const estimate = estimateTrainingMemory(model, { batch: Number(batch) / parts, optimizer: footprint, accumulating: parts > 1 });
  const optimizer = build();
  const images = syntheticBatch(Number(batch), inputShape, numClasses);
  const settings = { numClasses, labelSmoothing: 0, weightDecay: 0, outputSoftmax: false, accumulate: parts };
  trainStep(model, optimizer, images, settings);
  const profile = await tf.profile(() => void trainStep(model, optimizer, images, settings));
  const round = (bytes) => Math.round(bytes / MB);
  console.log(
    JSON.stringify({
      network,
      size: Number(size),
      batch: Number(batch),
      optimizer: optimizerType,
      activation,
      accumulate: parts,
      heapMB: round(wasmMemoryOf(tf.backend()).buffer.byteLength),
      tensorPeakMB: round(profile.peakBytes),
      rssMB: round(process.resourceUsage().maxRSS * 1024),
      estimateMB: round(estimate.bytes),
    }),
  );
})();
