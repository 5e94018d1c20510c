import * as tf from '@tensorflow/tfjs';
import { ActivationLayer } from '../builders/activations/activation-layer';
import { AcafError } from '../errors';

/** WebAssembly's 32-bit memory: the wasm backend's whole heap (tensors included) cannot grow past 4 GiB. */
const WASM_MAXIMUM_HEAP_BYTES = 4 * 1024 ** 3;

/**
 * The heap a wasm training step may use: 4 GiB, or less with `ACAF_WASM_HEAP_LIMIT_MB` (a machine with less memory
 * to give it; the tests use it to reach the limit with tiny runs).
 */
export function wasmHeapLimitBytes(): number {
  const setting = process.env.ACAF_WASM_HEAP_LIMIT_MB;
  if (setting === undefined || setting === '') return WASM_MAXIMUM_HEAP_BYTES;
  const megabytes = Number(setting);
  if (!(megabytes > 0) || megabytes * 1024 ** 2 > WASM_MAXIMUM_HEAP_BYTES) {
    throw new AcafError(`ACAF_WASM_HEAP_LIMIT_MB: '${setting}' is not a size in MB from 1 to 4096 (WebAssembly's 4 GiB)`, 2);
  }
  return megabytes * 1024 ** 2;
}

const FLOAT_BYTES = 4;

// The constants below are floats per float, fitted by least squares to the wasm heap of training steps measured with
// scripts/measure-training-memory.js (LeNet, AlexNet, VGG16, GoogLeNet, ResNet-50, DenseNet and the small CNN at
// 32x32 and 84x84, batches 2-64, heaps over 450 MB), then rounded; docs/memory.md has the measurements. tfjs's own
// count of tensor bytes is no guide: it counts a tensor and each copy the backward pass saves of it (sharing its
// buffer) once each, up to 40% more than the heap.

/** Kept per float of every layer's output, per image: the forward outputs the backward pass needs and its gradients. */
const KEPT_PER_OUTPUT = 1.85;

/** Kept beyond that by pooling layers per float of their input: their gradient is built at the input's size. */
const POOLING_PER_INPUT = 1.8;

/** Kept beyond that by dropout per float of its output: its mask and the scaled copy. */
const DROPOUT_PER_OUTPUT = 7.5;

/**
 * An activation that keeps more than ReLU for its backward pass costs this much per extra float it keeps (measured
 * on one image as tfjs counts tensors; ReLU counts 2: its output and the saved input). Calibrated on GoogLeNet with
 * AR and the alpha form.
 */
const EXTRA_ACTIVATION_COST = 1.5;
const RELU_KEPT = 2;

/**
 * Per trainable weight, beside the weight itself and the optimizer's measured slots and update temporaries: its
 * gradients as the backward pass makes them and as the optimizer receives them, and the transients of the largest
 * layers' backward passes (SGD's weights cost 3.4 floats each in all).
 */
const GRADIENT_COPIES = 2.15;

/** Where the estimate's bytes go. */
export interface TrainingMemoryEstimate {
  /** Estimated peak bytes of one training step. */
  bytes: number;
  /** Weights (all, moving statistics too), their gradients, the update's new values and the optimizer's slots. */
  weightBytes: number;
  /** What the micro-batch's forward and backward passes keep: grows linearly with `batch`. */
  activationBytes: number;
  /** Images per forward pass (the micro-batch when accumulating). */
  batch: number;
}

export interface TrainingMemoryOptions {
  /** Images per forward pass: train.batchSize / train.accumulate. */
  batch: number;
  /** What the optimizer keeps and allocates per weight; see measureOptimizer. */
  optimizer: OptimizerFootprint;
  /** Whether gradients are accumulated over micro-batches: one more copy of the gradients (their running sum). */
  accumulating: boolean;
}

/**
 * The peak memory of one training step of `model` (a built model; its layers give the shapes) on the wasm backend:
 * the weights with their gradients and optimizer state, plus per image the tensors every layer's forward pass keeps
 * for the backward pass (each layer's output size times a calibrated factor; activations that keep more than ReLU
 * are measured on one image).
 */
export function estimateTrainingMemory(model: tf.LayersModel, options: TrainingMemoryOptions): TrainingMemoryEstimate {
  const weights = model.weights.reduce((sum, weight) => sum + elements(weight.shape), 0);
  const trainable = model.trainableWeights.reduce((sum, weight) => sum + elements(weight.shape), 0);
  // Per trainable weight: its gradients (and their running sum when accumulating), the optimizer's slots and what
  // its update allocates.
  const perTrainable = GRADIENT_COPIES + (options.accumulating ? 1 : 0) + options.optimizer.slots + options.optimizer.transient;
  const weightBytes = (weights + trainable * perTrainable) * FLOAT_BYTES;
  const activationBytes = options.batch * perImageFloats(model) * FLOAT_BYTES;
  return { bytes: weightBytes + activationBytes, weightBytes, activationBytes, batch: options.batch };
}

/** Floats a training step keeps per image. */
function perImageFloats(model: tf.LayersModel): number {
  const extraKept = new Map<string, number>();
  let floats = 0;
  for (const layer of model.layers) {
    for (const node of layer.inboundNodes) {
      const outputs = shapes(node.outputShapes).reduce((sum, shape) => sum + elements(shape.slice(1)), 0);
      const kind = layer.getClassName();
      let factor = KEPT_PER_OUTPUT + (kind === 'Dropout' ? DROPOUT_PER_OUTPUT : 0);
      if (/^(Max|Average)Pooling[123]D$/.test(kind)) floats += POOLING_PER_INPUT * inputs(node);
      if (layer instanceof ActivationLayer) {
        if (!extraKept.has(kind)) extraKept.set(kind, Math.max(0, keptPerOutput(layer, shapes(node.inputShapes)[0]) - RELU_KEPT));
        factor += EXTRA_ACTIVATION_COST * extraKept.get(kind)!;
      }
      floats += factor * outputs;
    }
  }
  return floats;
}

/** Floats an activation layer's forward pass keeps for its backward pass per float of its output, measured on one image. */
function keptPerOutput(layer: tf.layers.Layer, inputShape: (number | null)[]): number {
  const input = tf.zeros([1, ...(inputShape.slice(1) as number[])]);
  let kept = 0;
  tf.tidy(() => {
    const before = tf.memory().numBytes;
    tf.grad((x: tf.Tensor) => {
      const output = layer.apply(x, { training: true }) as tf.Tensor;
      kept = (tf.memory().numBytes - before) / (output.size * FLOAT_BYTES);
      return tf.sum(output);
    })(input);
  });
  input.dispose();
  return kept;
}

/** Per weight, in floats: what an optimizer keeps between steps and what one update allocates at its peak. */
export interface OptimizerFootprint {
  /** State kept between steps: SGD 0, momentum 1, Adam 2. */
  slots: number;
  /**
   * Beyond that, at the peak of an update, averaged over the weights: small where each variable is updated in a
   * scope of its own (SGD, momentum), about 14 for tfjs's Adam, which holds every variable's temporaries at once.
   */
  transient: number;
}

/**
 * What `optimizer` keeps and allocates per weight, measured on its first update of probe variables (the optimizer
 * then holds their state: give it a throwaway optimizer). Several variables tell an update that frees each
 * variable's temporaries before the next from one that holds all of them.
 */
export async function measureOptimizer(optimizer: tf.Optimizer): Promise<OptimizerFootprint> {
  const [count, size] = [8, 1024];
  // tidy: the zeros a variable is made from would otherwise stay tracked beside it.
  const variables = Array.from({ length: count }, () => tf.tidy(() => tf.variable(tf.zeros([size]))));
  const gradients = variables.map(() => tf.ones([size]));
  const before = tf.memory().numBytes;
  const profile = await tf.profile(() => optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, gradients[i]]))));
  const after = tf.memory().numBytes;
  tf.dispose([...variables, ...gradients]);
  const perWeight = (bytes: number) => Math.max(0, bytes / (count * size * FLOAT_BYTES));
  return { slots: Math.round(perWeight(after - before)), transient: perWeight(profile.peakBytes - after) };
}

function inputs(node: { inputShapes: tf.Shape | tf.Shape[] }): number {
  return shapes(node.inputShapes).reduce((sum, shape) => sum + elements(shape.slice(1)), 0);
}

function shapes(shape: tf.Shape | tf.Shape[]): tf.Shape[] {
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]) : [shape as tf.Shape];
}

function elements(shape: (number | null)[]): number {
  return shape.reduce((product: number, length) => product * (length ?? 1), 1);
}
