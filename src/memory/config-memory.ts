import * as os from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import { ONEDNN_BACKEND, oneDnnBackendReport } from 'tfjs-wasm-training';
import type { BackendName } from '../backends/types';
import { buildModel } from '../builders/model';
import type { ExperimentConfig } from '../config';
import { divisors } from '../config/validate';
import { datasetGeometry } from '../data/load';
import { AcafError } from '../errors';
import { optimizers } from '../registry';
import { withZeroWeights } from './zero-weights';
import { estimateTrainingMemory, measureOptimizer, type TrainingMemoryEstimate, wasmHeapLimitBytes } from './training-memory';

/** What bounds a training step's memory on a backend. */
export interface MemoryLimit {
  bytes: number;
  /** Names it in a sentence, e.g. "the wasm backend's 4 GiB heap". */
  name: string;
  backend: BackendName;
}

/**
 * The share of the machine's memory a step on a backend of JavaScript arrays may take: the estimate fell up to 17%
 * under the measured peak (docs/memory.md), and the system needs some.
 */
const MACHINE_MEMORY_SHARE = 0.85;

/**
 * The limit a training step must fit on `backend`: wasm's heap (WebAssembly's 32-bit memory), most of the machine's
 * memory for the backends of JavaScript arrays; undefined for the tensorflow backends (libtensorflow's own memory,
 * unchecked).
 */
export function memoryLimitOf(backend: BackendName): MemoryLimit | undefined {
  if (backend === 'wasm') {
    const bytes = wasmHeapLimitBytes();
    return { bytes, name: `the wasm backend's ${formatBytes(bytes)} heap`, backend };
  }
  if (backend === ONEDNN_BACKEND || backend === 'cpu') {
    const total = os.totalmem();
    return {
      bytes: total * MACHINE_MEMORY_SHARE,
      name: `${MACHINE_MEMORY_SHARE * 100}% of this machine's ${formatBytes(total)} of memory`,
      backend,
    };
  }
  return undefined;
}

/** A config's training-memory estimate at its micro-batch, and the smallest `train.accumulate` that fits its limit. */
export interface TrainingMemoryPlan {
  estimate: TrainingMemoryEstimate;
  inputShape: [number, number, number];
  /** The limit the plan is for, and whether the estimate fits it. */
  limit: MemoryLimit;
  fits: boolean;
  /** When it does not: the smallest train.accumulate (a divisor of train.batchSize) whose micro-batch fits, if any. */
  accumulate?: { value: number; estimate: TrainingMemoryEstimate };
  /** When it does not: the largest train.batchSize that fits without accumulation (0: not even one image). */
  largestBatch?: number;
}

/**
 * The memory plan of `model`, the model `config` trains (built for `inputShape`): the estimate at
 * train.batchSize / train.accumulate images per pass, and the smallest accumulation that would fit `limit`.
 */
export async function planTrainingMemory(
  config: ExperimentConfig,
  model: tf.LayersModel,
  inputShape: [number, number, number],
  limit: MemoryLimit,
): Promise<TrainingMemoryPlan> {
  const { batchSize, accumulate } = config.train;
  const { optimizer } = optimizers.get(config.train.optimizer.type, 'train.optimizer.type').build(config.train.optimizer, undefined);
  const footprint = await measureOptimizer(optimizer);
  optimizer.dispose();
  const at = (batch: number, accumulating: boolean) => estimateTrainingMemory(model, { batch, optimizer: footprint, accumulating });
  const estimate = at(batchSize / accumulate, accumulate > 1);
  const fits = estimate.bytes <= limit.bytes;
  if (fits) return { estimate, inputShape, limit, fits };
  const value = divisors(batchSize).find((parts) => parts > accumulate && at(batchSize / parts, true).bytes <= limit.bytes);
  // The estimate grows linearly with the batch.
  const one = at(1, false);
  const largestBatch = Math.max(0, Math.floor((limit.bytes - one.weightBytes) / one.activationBytes));
  return {
    estimate,
    inputShape,
    limit,
    fits,
    largestBatch,
    accumulate: value === undefined ? undefined : { value, estimate: at(batchSize / value, true) },
  };
}

/**
 * The plan of a config's model built from its options alone (the dataset's geometry, without loading the data);
 * undefined for a dataset whose geometry its files alone tell. The model is built and disposed here.
 */
export async function planFromConfig(config: ExperimentConfig, limit: MemoryLimit): Promise<TrainingMemoryPlan | undefined> {
  // A detection config's classes come from its dataset's files.
  const geometry = config.task === 'classification' ? datasetGeometry(config.data) : undefined;
  if (!geometry) return undefined;
  const model = withZeroWeights(() => buildModel(config.model, { inputShape: geometry.shape, numClasses: geometry.classes }).model);
  try {
    return await planTrainingMemory(config, model, geometry.shape, limit);
  } finally {
    model.dispose();
  }
}

/** "3.1 GiB" or "850 MB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GiB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

/**
 * Refuses, in one line, a training step its backend cannot hold: names the config file, the estimated peak, the limit
 * and what to change (the smallest accumulation that fits or a smaller batch; on wasm also the backends without
 * its heap limit).
 */
export function refuseIfOverLimit(plan: TrainingMemoryPlan, config: ExperimentConfig, configFile: string): void {
  if (plan.fits) return;
  const { batchSize, accumulate } = config.train;
  const [height, width] = plan.inputShape;
  const pass =
    accumulate > 1
      ? `micro-batches of ${plan.estimate.batch} (train.batchSize ${batchSize}, train.accumulate ${accumulate})`
      : `train.batchSize ${batchSize}`;
  const step = `${configFile}: a training step of ${config.model.network.type} at ${height}x${width} with ${pass} needs an estimated ${formatBytes(plan.estimate.bytes)}`;
  const otherBackend = plan.limit.backend === 'wasm' ? `a backend without that limit (${backendsWithoutHeapLimit()})` : undefined;
  if (!plan.accumulate) {
    const weights = `(the weights, their gradients and optimizer state alone: ${formatBytes(plan.estimate.weightBytes)})`;
    throw new AcafError(
      `${step}, more than ${plan.limit.name} even one image at a time ${weights}${otherBackend ? `; use ${otherBackend}` : ''}`,
    );
  }
  const fitting = plan.accumulate;
  const ways = [
    `train.accumulate: ${fitting.value} (micro-batches of ${fitting.estimate.batch}, estimated ${formatBytes(fitting.estimate.bytes)})`,
    `a train.batchSize of at most ${plan.largestBatch}`,
    ...(otherBackend ? [otherBackend] : []),
  ];
  const choices = `${ways.slice(0, -1).join(', ')}${ways.length > 2 ? ',' : ''} or ${ways[ways.length - 1]}`;
  throw new AcafError(`${step}, more than ${plan.limit.name}; use ${choices}`);
}

/** The backends whose tensors are not in wasm's heap that could run here, as config settings. */
function backendsWithoutHeapLimit(): string {
  const tensorflow = 'backend: tensorflow, which needs @tensorflow/tfjs-node';
  const oneDnnBuilt = 'version' in oneDnnBackendReport().native;
  return oneDnnBuilt ? `backend: onednn, the native kernels on JavaScript arrays, or ${tensorflow}` : tensorflow;
}
