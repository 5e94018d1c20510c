/** What the reporting side reads from one run directory (format: docs/design.md, "Run directory"). */

/** One row of `metrics.csv`: the run's state after one epoch. Empty cells (e.g. `test_top5`) are `undefined`. */
export interface EpochMetrics {
  epoch: number;
  lr?: number;
  train_loss?: number;
  train_accuracy?: number;
  test_loss?: number;
  test_accuracy?: number;
  test_top5?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  seconds?: number;
}

/** Mean, min and max of one activation parameter over a call site's parameter set. */
export interface ParameterStats {
  mean: number;
  min?: number;
  max?: number;
}

/** One row of `activations.csv`: an adaptive call site's parameters after an epoch (0 = initial values). */
export interface ActivationSnapshot {
  epoch: number;
  site: string;
  type: string;
  share: string;
  /** Only the parameters this site has (`a`, `b`, `alpha`...). */
  params: Record<string, ParameterStats>;
}

/** A run directory, parsed. */
export interface RunRecord {
  /** The directory as the user named it (or as found under a path they named). */
  dir: string;
  /** The resolved config the run recorded (`config.yaml`). */
  config: Record<string, unknown>;
  /** `run.json`: status, epochsCompleted, bestEpoch, best, final, protocol, timestamps. */
  status: Record<string, unknown>;
  /** `env.json`, or `{}` when the run has none. */
  env: Record<string, unknown>;
  metrics: EpochMetrics[];
  /** `activations.csv` rows; empty for a run without adaptive call sites. */
  activations: ActivationSnapshot[];
}
