import type * as tf from '@tensorflow/tfjs';
import { buildModel } from '../builders/model';
import type { ExperimentConfig } from '../config';
import { divisors } from '../config/validate';
import { datasetGeometry } from '../data/load';
import { AcafError } from '../errors';
import { optimizers } from '../registry';
import { withZeroWeights } from './zero-weights';
import { estimateTrainingMemory, measureOptimizer, type TrainingMemoryEstimate, wasmHeapLimitBytes } from './training-memory';

/** A config's training-memory estimate at its micro-batch, and the smallest `train.accumulate` that fits the wasm heap. */
export interface TrainingMemoryPlan {
  estimate: TrainingMemoryEstimate;
  inputShape: [number, number, number];
  /** The wasm heap's limit (wasmHeapLimitBytes) and whether the estimate fits it. */
  limit: number;
  fits: boolean;
  /** When it does not: the smallest train.accumulate (a divisor of train.batchSize) whose micro-batch fits, if any. */
  accumulate?: { value: number; estimate: TrainingMemoryEstimate };
  /** When it does not: the largest train.batchSize that fits without accumulation (0: not even one image). */
  largestBatch?: number;
}

/**
 * The memory plan of `model`, the model `config` trains (built for `inputShape`): the estimate at
 * train.batchSize / train.accumulate images per pass, and the smallest accumulation that would fit.
 */
export async function planTrainingMemory(
  config: ExperimentConfig,
  model: tf.LayersModel,
  inputShape: [number, number, number],
): Promise<TrainingMemoryPlan> {
  const { batchSize, accumulate } = config.train;
  const limit = wasmHeapLimitBytes();
  const { optimizer } = optimizers.get(config.train.optimizer.type, 'train.optimizer.type').build(config.train.optimizer, undefined);
  const footprint = await measureOptimizer(optimizer);
  optimizer.dispose();
  const at = (batch: number, accumulating: boolean) => estimateTrainingMemory(model, { batch, optimizer: footprint, accumulating });
  const estimate = at(batchSize / accumulate, accumulate > 1);
  const fits = estimate.bytes <= limit;
  if (fits) return { estimate, inputShape, limit, fits };
  const value = divisors(batchSize).find((parts) => parts > accumulate && at(batchSize / parts, true).bytes <= limit);
  // The estimate grows linearly with the batch.
  const one = at(1, false);
  const largestBatch = Math.max(0, Math.floor((limit - one.weightBytes) / one.activationBytes));
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
export async function planFromConfig(config: ExperimentConfig): Promise<TrainingMemoryPlan | undefined> {
  // A detection config's classes come from its dataset's files.
  const geometry = config.task === 'classification' ? datasetGeometry(config.data) : undefined;
  if (!geometry) return undefined;
  const model = withZeroWeights(() => buildModel(config.model, { inputShape: geometry.shape, numClasses: geometry.classes }).model);
  try {
    return await planTrainingMemory(config, model, geometry.shape);
  } finally {
    model.dispose();
  }
}

/** "3.1 GiB" or "850 MB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GiB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

/**
 * Refuses, in one line, a training step the wasm heap cannot hold: names the config file, the estimated peak, the
 * 4 GiB limit and what to change (a smaller batch or the smallest accumulation that fits, else a native backend).
 */
export function refuseIfOverWasmHeap(plan: TrainingMemoryPlan, config: ExperimentConfig, configFile: string): void {
  if (plan.fits) return;
  const { batchSize, accumulate } = config.train;
  const [height, width] = plan.inputShape;
  const pass =
    accumulate > 1
      ? `micro-batches of ${plan.estimate.batch} (train.batchSize ${batchSize}, train.accumulate ${accumulate})`
      : `train.batchSize ${batchSize}`;
  const step = `${configFile}: a training step of ${config.model.network.type} at ${height}x${width} with ${pass} needs an estimated ${formatBytes(plan.estimate.bytes)}`;
  const heap = formatBytes(plan.limit);
  const native = 'a backend without that limit (backend: tensorflow, which needs @tensorflow/tfjs-node)';
  if (!plan.accumulate) {
    throw new AcafError(
      `${step}, more than the wasm backend's ${heap} heap even one image at a time (the weights, their gradients and ` +
        `optimizer state alone: ${formatBytes(plan.estimate.weightBytes)}); use ${native}`,
    );
  }
  const fitting = plan.accumulate;
  throw new AcafError(
    `${step}, more than the wasm backend's ${heap} heap; use train.accumulate: ${fitting.value} (micro-batches of ` +
      `${fitting.estimate.batch}, estimated ${formatBytes(fitting.estimate.bytes)}), a train.batchSize of at most ` +
      `${plan.largestBatch}, or ${native}`,
  );
}
