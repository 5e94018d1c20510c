import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendSelection } from '../backends';
import type { BackendName } from '../backends/types';
import { buildModel } from '../builders/model';
import { summarizeModel } from '../builders/networks/model-summary';
import { activations, networks, optimizers } from '../registry';
import type { ImageBatch } from '../data/pipeline';
import { trainStep } from '../tasks/classification/train-step';
import { backendReport, type BackendReport } from './backend-report';

/** One benchmark measurement: training `network` with ReLU and plain SGD on random CIFAR-shaped batches. */
export interface TrainingBenchSpec {
  network: string;
  backend: BackendName;
  batch: number;
  /** Timed steps, after the warm-up. */
  steps: number;
  /**
   * Untimed steps first: the first compiles kernels, creates optimizer state and grows the heap; the next few still
   * touch new memory (GoogLeNet on wasm: steps 1-3 took 711, 325 and 224 ms, then 180-250).
   */
  warmup: number;
  inputShape: [number, number, number];
  numClasses: number;
  /** Options beside the network's defaults, e.g. a widthMultiplier. */
  networkOptions?: Record<string, unknown>;
}

export interface TrainingBenchResult extends BackendReport {
  network: string;
  backend: string;
  batch: number;
  imagesPerSecond: number;
  msPerStep: number;
  /** The process's resident-set high-water mark: run each measurement in its own process (see isolated-run.ts). */
  peakMemoryMB: number;
  parameters: number;
  /** Weights the optimizer updates (batch-norm moving statistics excluded): what the PyTorch peer's count must equal. */
  trainableParameters: number;
}

/** Deterministic pseudo-random batch: the speed of a step does not depend on the pixel values. */
export function syntheticBatch(size: number, [height, width, channels]: [number, number, number], numClasses: number): ImageBatch {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return {
    images: Float32Array.from({ length: size * height * width * channels }, () => next() * 2 - 1),
    labels: Int32Array.from({ length: size }, () => Math.floor(next() * numClasses)),
    size,
  };
}

/** Selects the spec's backend and builds its network (ReLU, the network's defaults and the spec's options). */
export async function buildBenchModel(spec: TrainingBenchSpec): Promise<{ model: tf.LayersModel; selection: BackendSelection }> {
  const selection = await selectBackend(spec.backend, { training: true });
  const { model } = buildModel(
    {
      network: networks.withDefaults(spec.network, spec.networkOptions ?? {}, '--networks'),
      activation: activations.withDefaults('relu'),
    },
    { inputShape: spec.inputShape, numClasses: spec.numClasses },
  );
  return { model, selection };
}

/** Milliseconds per call of `run` over `times` timed calls, after `warmup` untimed ones. */
export function msPerRun(run: () => void, times: number, warmup: number): number {
  for (let call = 0; call < warmup; call++) run();
  const start = performance.now();
  for (let call = 0; call < times; call++) run();
  return (performance.now() - start) / times;
}

export async function timeTrainingSteps(spec: TrainingBenchSpec): Promise<TrainingBenchResult> {
  const { model, selection } = await buildBenchModel(spec);
  const { optimizer } = optimizers.build('sgd', optimizers.withDefaults('sgd', { lr: 0.01 }), undefined);
  const batch = syntheticBatch(spec.batch, spec.inputShape, spec.numClasses);
  const settings = { numClasses: spec.numClasses, labelSmoothing: 0, weightDecay: 0, outputSoftmax: false };
  const msPerStep = msPerRun(() => trainStep(model, optimizer, batch, settings), spec.steps, spec.warmup);
  const { params: parameters, trainableParams: trainableParameters } = summarizeModel(model);
  model.dispose();
  optimizer.dispose();
  return {
    network: spec.network,
    backend: tf.getBackend(),
    batch: spec.batch,
    imagesPerSecond: (spec.batch * 1000) / msPerStep,
    msPerStep,
    peakMemoryMB: process.resourceUsage().maxRSS / 1024,
    parameters,
    trainableParameters,
    ...backendReport(selection),
  };
}
