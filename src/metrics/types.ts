/** Predictions and truth for a whole split, gathered by the evaluator. */
export interface EvaluationBatch {
  labels: Int32Array;
  /** Top-1 predicted class per example. */
  predictions: Int32Array;
  /** count * numClasses logits, for metrics that need ranks (top-k). */
  logits: Float32Array;
  numClasses: number;
  /** Class names, index = class id (for tables). */
  classes: string[];
}

export interface MetricOptions {
  type: string;
  [option: string]: unknown;
}

/** A table a metric saves in the run directory after the last evaluation (e.g. confusion.csv). */
export interface MetricTable {
  file: string;
  rows: (string | number)[][];
}

/**
 * A metric computes one or more named values (columns of metrics.csv) from a whole evaluation; null where the
 * value does not apply (left empty in the CSV). It may also save a table from the final evaluation.
 */
export interface Metric {
  columns: string[];
  compute(evaluation: EvaluationBatch): Record<string, number | null>;
  table?(evaluation: EvaluationBatch): MetricTable;
}
