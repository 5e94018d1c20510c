import type * as tf from '@tensorflow/tfjs';
import type { CsvValue } from '../run-directory';

/** One optimiser step's outcome. */
export interface TaskStepResult {
  /** The minimised objective (loss plus any penalty); the trainer stops the run when it is NaN or infinite. */
  objective: number;
  /** Per train column (`train_loss`...), the batch's sum over its images; the epoch's value is the sum over the epoch / images seen. */
  sums: Record<string, number>;
  /** Per train column logged as the epoch's last batch's value (the authors' logged loss), that value. */
  last?: Record<string, number>;
}

/** A per-epoch CSV log a task keeps beside metrics.csv (e.g. per_class_ap.csv); `epoch` is its first column. */
export interface TaskLog {
  file: string;
  columns: string[];
}

/** What one evaluation gives the run directory. */
export interface TaskEvaluation {
  /** The test columns of metrics.csv. */
  row: Record<string, number | null>;
  /** Rows (without `epoch`) to append to the task's logs, by file. */
  logRows: Record<string, Record<string, CsvValue>[]>;
  /** Whole files rewritten at each evaluation, so the last one stays (confusion.csv, detections.json). */
  files: Record<string, string>;
}

/**
 * What differs between tasks (classification, detection): the model and data, one training step, one evaluation
 * and the columns they log. Everything else (run directory, run.json, CSV logs, checkpoints, resume, signals,
 * NaN stop, progress output, the seeded Math.random) is the trainer's, the same for every task.
 */
/** A metrics.csv column that progress output shows, with its short label (`train_accuracy` as `acc`). */
export interface ProgressColumn {
  column: string;
  label: string;
}

/** Yields `batches` as they are, calling `onBatch` with each one's size once it has been used. */
export function* countingBatches<T extends { size: number }>(batches: Iterable<T>, onBatch?: (images: number) => void): Iterable<T> {
  for (const batch of batches) {
    yield batch;
    onBatch?.(batch.size);
  }
}

export interface Task<TBatch extends { size: number } = { size: number }> {
  model: tf.LayersModel;
  stepsPerEpoch: number;
  /** metrics.csv columns filled from the steps' sums (or their `last` values); the first is the loss progress output shows. */
  trainColumns: string[];
  /** metrics.csv columns of an evaluation (empty on epochs without one). */
  testColumns: string[];
  /** What progress output shows: train columns while an epoch runs, test columns once it has been evaluated. */
  progressColumns: { train: ProgressColumn[]; test: ProgressColumn[] };
  /** How many test images one evaluation covers (its progress bar's total). */
  evaluationImages: number;
  /** The test column that picks checkpoints/best (higher is better) and headlines the summary. */
  bestMetric: { column: string; label: string };
  logs: TaskLog[];
  /** Shuffled, augmented batches of epoch `epoch` (1-based); they depend only on (seed, epoch), so resumed epochs replay exactly. */
  trainBatches(epoch: number): Iterable<TBatch>;
  /** One optimiser step on `batch` in training mode. */
  trainStep(batch: TBatch, optimizer: tf.Optimizer): TaskStepResult;
  /** The `index`-th evaluation (0-based) on the test split, in inference mode; `onBatch` hears each batch's image count. */
  evaluate(index: number, onBatch?: (images: number) => void): TaskEvaluation;
}
