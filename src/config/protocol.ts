import { networks } from '../registry';
import type { ExperimentConfig } from './types';

/** Test images per evaluation in the authors' code (paper.md section 5.3). */
const PAPER_EVAL_WINDOW = 64;

/**
 * A config that says which paper row it `reproduces` runs the authors' protocol unless it chose one itself
 * (`--set protocol=corrected` still switches). Applied to the merged config, before defaults are filled in.
 */
export function defaultProtocol(config: Record<string, unknown>): void {
  const classification = (config.task ?? 'classification') === 'classification';
  if (classification && config.reproduces !== undefined && config.protocol === undefined) config.protocol = 'paper-faithful';
}

/**
 * Turns `protocol` into the concrete settings it stands for, so the resolved config (and so every run's
 * config.yaml) shows exactly what ran. `paper-faithful` reproduces the quirks of the authors' code
 * (paper.md section 7): those of their training loop here, and those of a network as its plugin declares them
 * (`paperQuirks`, for its paper variant). Otherwise, and for what a network does not declare, the corrected
 * settings stand where a config did not set them explicitly.
 */
export function applyProtocol(config: ExperimentConfig): ExperimentConfig {
  if (config.task !== 'classification') return config;
  const network = config.model.network as ExperimentConfig['model']['network'] & { variant?: string; bnTestStatistics?: string };
  if (config.protocol === 'paper-faithful') {
    config.eval.window = PAPER_EVAL_WINDOW;
    config.data.augment = {};
    // int(50000 / 64) = 781 steps: the authors' queue never yields the partial batch.
    config.train.dropLastBatch = true;
    const quirks = network.variant === 'paper' ? (networks.get(network.type, 'model.network.type').paperQuirks ?? {}) : {};
    if (quirks.outputSoftmax) config.model.outputSoftmax = true;
    if (quirks.bnTestStatistics && 'bnTestStatistics' in network) network.bnTestStatistics = quirks.bnTestStatistics;
  }
  if ('bnTestStatistics' in network && network.bnTestStatistics === 'variant') network.bnTestStatistics = 'moving';
  return config;
}
