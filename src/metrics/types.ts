/** Predictions and truth for a whole split, gathered by the evaluator. */
export interface EvaluationBatch {
  labels: Int32Array;
  /** Top-1 predicted class per example. */
  predictions: Int32Array;
  /** count * numClasses logits, for metrics that need ranks (top-k). */
  logits: Float32Array;
  numClasses: number;
}

export interface MetricOptions {
  type: string;
  [option: string]: unknown;
}

/** A metric computes one or more named values (columns of metrics.csv) from a whole evaluation. */
export interface Metric {
  columns: string[];
  compute(evaluation: EvaluationBatch): Record<string, number>;
}
