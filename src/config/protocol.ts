import type { ExperimentConfig } from './types';

/** The authors' networks whose last layer is a softmax fed to a from-logits loss (paper.md section 7.2). */
const DOUBLE_SOFTMAX_NETWORKS = new Set(['lenet', 'googlenet', 'resnet50']);
/** The authors' networks whose batch norm uses moving statistics at test time (only DenseNet: section 7.3). */
const MOVING_STATISTICS_NETWORKS = new Set(['densenet']);
/** Test images per evaluation in the authors' code (section 5.3). */
const PAPER_EVAL_WINDOW = 64;

/**
 * Turns `protocol` into the concrete settings it stands for, so the resolved config (and so every run's
 * config.yaml) shows exactly what ran. `paper-faithful` reproduces the quirks of the authors' code
 * (paper.md section 7); `corrected` fixes the ones a config did not set explicitly.
 */
export function applyProtocol(config: ExperimentConfig): ExperimentConfig {
  const network = config.model.network as ExperimentConfig['model']['network'] & { variant?: string; bnTestStatistics?: string };
  const paperNetwork = network.variant === 'paper';
  if (config.protocol === 'paper-faithful') {
    config.eval.window = PAPER_EVAL_WINDOW;
    config.data.augment = {};
    if (paperNetwork && DOUBLE_SOFTMAX_NETWORKS.has(network.type)) config.model.outputSoftmax = true;
    if ('bnTestStatistics' in network) network.bnTestStatistics = MOVING_STATISTICS_NETWORKS.has(network.type) ? 'moving' : 'batch';
  } else if ('bnTestStatistics' in network && network.bnTestStatistics === 'variant') {
    network.bnTestStatistics = 'moving';
  }
  return config;
}
