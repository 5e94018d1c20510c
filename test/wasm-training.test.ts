import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildModel } from '../src/builders/model';
import { activations, backends, networks, optimizers, type Plugin } from '../src/registry';
import { WASM_TRAINING_KERNELS } from 'tfjs-wasm-training';
import { trainStep } from '../src/tasks/classification/train-step';

/**
 * Registry-driven: one training step of every registered network, activation and optimizer on wasm, collecting
 * "kernel not registered for backend wasm" errors. A plugin registered later is covered with no change here.
 */

/** A plugin's options as a validated config would hold them: every schema default filled in. */
function defaults(plugin: Plugin<unknown, unknown, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(plugin.options)
      .filter(([, schema]) => 'default' in schema)
      .map(([key, schema]) => [key, schema.default]),
  );
}

interface StepCase {
  network: string;
  networkOptions?: Record<string, unknown>;
  activation: string;
  optimizer: string;
  inputSize: number;
}

/** The kernels a training step lacks on wasm (empty when it runs); any other failure is thrown. */
function missingKernels({ network, networkOptions, activation, optimizer, inputSize }: StepCase): string[] {
  const built = buildModel(
    {
      network: { ...defaults(networks.get(network)), widthMultiplier: 0.125, ...networkOptions, type: network },
      activation: { ...defaults(activations.get(activation)), type: activation },
    },
    { inputShape: [inputSize, inputSize, 3], numClasses: 3 },
  );
  const { optimizer: tfOptimizer } = optimizers.build(
    optimizer,
    { ...defaults(optimizers.get(optimizer)), type: optimizer, lr: 0.01 },
    undefined,
  );
  const batch = {
    images: Float32Array.from({ length: 2 * inputSize * inputSize * 3 }, (_, i) => Math.sin(i)),
    labels: Int32Array.from([0, 2]),
    size: 2,
  };
  const settings = { numClasses: 3, labelSmoothing: 0.1, weightDecay: 1e-4, outputSoftmax: false };
  try {
    trainStep(built.model, tfOptimizer, batch, settings);
    // The first step creates optimizer slots; a second one must not leave tensors behind.
    const before = tf.memory().numTensors;
    const { objective } = trainStep(built.model, tfOptimizer, batch, settings);
    expect(Number.isFinite(objective)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    return [];
  } catch (error) {
    const missing = /kernel '(\w+)' not registered for backend 'wasm'/i.exec((error as Error).message);
    if (!missing) throw error;
    return [missing[1]];
  } finally {
    built.model.dispose();
    tfOptimizer.dispose();
  }
}

beforeAll(async () => {
  await backends.build('wasm', {}, undefined).activate();
});

test('the wasm backend can train once the kernel pack is registered', () => {
  expect(backends.build('wasm', {}, undefined).cannotTrainReason()).toBeUndefined();
  for (const kernel of WASM_TRAINING_KERNELS) expect(tf.getKernel(kernel, 'wasm')).toBeDefined();
});

test('some networks, activations and optimizers are registered', () => {
  expect(networks.list().length).toBeGreaterThan(0);
  expect(activations.list().length).toBeGreaterThan(0);
  expect(optimizers.list().length).toBeGreaterThan(0);
});

// Networks at 1/8 width on CIFAR-sized input (several paper networks need 32x32 to reach their 1x1 maps).
test.each(networks.names())('network %s trains on wasm', (network) => {
  expect(missingKernels({ network, activation: 'relu', optimizer: 'sgd', inputSize: 32 })).toEqual([]);
});

test.each(activations.names())('activation %s trains on wasm', (activation) => {
  expect(missingKernels({ network: 'simple-cnn', activation, optimizer: 'sgd', inputSize: 8 })).toEqual([]);
});

test.each(optimizers.names())('optimizer %s trains on wasm', (optimizer) => {
  expect(missingKernels({ network: 'simple-cnn', activation: 'relu', optimizer, inputSize: 8 })).toEqual([]);
});
