import type { JsonSchema } from '../../registry';
import type { TestStatistics } from './layers/batch-norm';
import type { NetworkOptions } from './types';

/** `paper`: the authors' CIFAR code (paper.md section 6); `standard`: the textbook architecture at any input size. */
export type Variant = 'paper' | 'standard';
export type InitializerChoice = 'paper' | 'glorot-uniform' | 'glorot-normal' | 'he-normal';

/** What a variant does when an option is left at `variant`. */
export interface VariantDefaults {
  dropout: number;
  initializer: InitializerChoice;
  batchNorm: { momentum: number; epsilon: number };
  bnTestStatistics: TestStatistics;
}

/** The options every network plugin accepts (as written in a config, `variant` meaning "the variant's own value"). */
export interface NetworkPluginOptions extends NetworkOptions {
  variant?: Variant;
  widthMultiplier: number;
  dropout: number | 'variant';
  initializer: InitializerChoice | 'variant';
  batchNorm?: { momentum?: number; epsilon?: number };
  bnTestStatistics?: TestStatistics | 'variant';
}

/** The options with every `variant` placeholder replaced. */
export interface NetworkSettings {
  variant: Variant;
  widthMultiplier: number;
  dropout: number;
  initializer: InitializerChoice;
  batchNorm: { momentum: number; epsilon: number; testStatistics: TestStatistics };
}

const fromVariant = "the variant's value (`variant`)";

/** Options of every network, simple ones included. */
export const basicOptionSchemas: Record<string, JsonSchema> = {
  widthMultiplier: {
    type: 'number',
    exclusiveMinimum: 0,
    default: 1,
    description: 'scales every channel and hidden-unit count (rounded, at least 1)',
  },
  dropout: {
    oneOf: [{ type: 'number', minimum: 0, exclusiveMaximum: 1 }, { const: 'variant' }],
    default: 'variant',
    description: `dropout rate; default ${fromVariant}: paper keep_prob 0.9 = rate 0.1, textbook rates for standard`,
  },
  initializer: {
    enum: ['variant', 'paper', 'glorot-uniform', 'glorot-normal', 'he-normal'],
    default: 'variant',
    description: `weight initialisation; 'paper' = the authors' code; default ${fromVariant} (standard: he-normal, no variants: glorot-uniform)`,
  },
};

/** Options of the paper's network families: basic ones plus variant and batch-norm settings. */
export const paperFamilyOptionSchemas: Record<string, JsonSchema> = {
  variant: { enum: ['paper', 'standard'], default: 'paper', description: "'paper' = the authors' CIFAR code, 'standard' = textbook" },
  ...basicOptionSchemas,
  batchNorm: {
    type: 'object',
    additionalProperties: false,
    properties: {
      momentum: { type: 'number', minimum: 0, maximum: 1, description: 'moving-average decay (Keras convention)' },
      epsilon: { type: 'number', exclusiveMinimum: 0 },
    },
    default: {},
    description: `batch-norm momentum and epsilon; a missing key takes ${fromVariant}`,
  },
  bnTestStatistics: {
    enum: ['variant', 'batch', 'moving'],
    default: 'variant',
    description: "statistics batch norm uses at test time; the paper's code uses the batch's (DenseNet: moving)",
  },
};

export const PAPER_DEFAULTS: VariantDefaults = {
  dropout: 0.1,
  initializer: 'paper',
  batchNorm: { momentum: 0.999, epsilon: 1e-3 },
  bnTestStatistics: 'batch',
};

/** PyTorch's batch-norm defaults (momentum 0.1 = Keras decay 0.9, eps 1e-5) and He initialisation. */
export const STANDARD_DEFAULTS: VariantDefaults = {
  dropout: 0.5,
  initializer: 'he-normal',
  batchNorm: { momentum: 0.9, epsilon: 1e-5 },
  bnTestStatistics: 'moving',
};

/** Replaces `variant` placeholders by the chosen variant's defaults. */
export function resolveSettings(
  options: NetworkPluginOptions,
  defaults: Record<Variant, VariantDefaults> = { paper: PAPER_DEFAULTS, standard: STANDARD_DEFAULTS },
): NetworkSettings {
  const variant = options.variant ?? 'paper';
  const own = defaults[variant];
  const pick = <T>(value: T | 'variant' | undefined, fallback: T): T => (value === undefined || value === 'variant' ? fallback : value);
  return {
    variant,
    widthMultiplier: options.widthMultiplier ?? 1,
    dropout: pick(options.dropout, own.dropout),
    initializer: pick(options.initializer, own.initializer),
    batchNorm: {
      momentum: options.batchNorm?.momentum ?? own.batchNorm.momentum,
      epsilon: options.batchNorm?.epsilon ?? own.batchNorm.epsilon,
      testStatistics: pick(options.bnTestStatistics, own.bnTestStatistics),
    },
  };
}

/** Networks without variants (simple-cnn, mlp): no dropout, Glorot uniform (the Keras default). */
const BASIC_DEFAULTS: VariantDefaults = { ...STANDARD_DEFAULTS, dropout: 0, initializer: 'glorot-uniform' };

export function resolveBasicSettings(options: NetworkPluginOptions): NetworkSettings {
  return resolveSettings({ ...options, variant: 'standard' }, { paper: BASIC_DEFAULTS, standard: BASIC_DEFAULTS });
}
