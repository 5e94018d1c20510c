import * as tf from '@tensorflow/tfjs';
import { withTestStatistics } from '../builders/networks/layers/batch-norm';
import { evaluate } from '../tasks/classification/evaluate';
import { buildBenchModel, msPerRun, syntheticBatch, type TrainingBenchSpec } from './training-step-timer';

export interface EvaluationBenchResult {
  network: string;
  backend: string;
  batch: number;
  imagesPerSecond: number;
  msPerBatch: number;
  peakMemoryMB: number;
}

/**
 * Inference throughput the way acaf evaluates a test set (`evaluate`: each batch in one forward pass, logits and
 * loss read back): no gradients, no dropout, batch norm with its moving statistics whatever the network's test-time
 * setting (as PyTorch's model.eval()), `spec.batch` images per pass. `spec.warmup` untimed passes, then `spec.steps`
 * timed ones.
 */
export async function timeEvaluation(spec: TrainingBenchSpec): Promise<EvaluationBenchResult> {
  const { model } = await buildBenchModel(spec);
  const batch = syntheticBatch(spec.batch, spec.inputShape, spec.numClasses);
  const classes = Array.from({ length: spec.numClasses }, (_, index) => String(index));
  const pass = () => withTestStatistics(model, 'moving', () => evaluate(model, [batch], classes));
  const msPerBatch = msPerRun(pass, spec.steps, spec.warmup);
  model.dispose();
  return {
    network: spec.network,
    backend: tf.getBackend(),
    batch: spec.batch,
    imagesPerSecond: (spec.batch * 1000) / msPerBatch,
    msPerBatch,
    peakMemoryMB: process.resourceUsage().maxRSS / 1024,
  };
}
