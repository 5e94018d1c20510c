/** What the reporting side reads from one run directory (format: docs/design.md, "Run directory"). */

import type { ActivationSnapshot, EpochMetrics } from '../run-directory';

export type { ActivationSnapshot, EpochMetrics, ParameterStats } from '../run-directory';

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
