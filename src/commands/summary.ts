import * as tf from '@tensorflow/tfjs';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { textTable } from '../cli/text-table';
import { setFlag } from '../cli/flags';
import { buildModel, ModelConfig, ModelBuildContext } from '../builders/model';
import { summarizeModel, ModelSummary } from '../builders/networks/model-summary';
import { resolveConfig } from '../config';
import type { ClassificationExperimentConfig, DetectionExperimentConfig, ExperimentConfig } from '../config/types';
import { loadDataset } from '../data/load';
import { buildDetector } from '../detection/model/detector';
import { formatDetectorSummary, summarizeDetector } from '../detection/model/detector-summary';
import { AcafError } from '../errors';
import { memoryLimitOf, planTrainingMemory, formatBytes } from '../memory/config-memory';
import { estimateTrainingMemory, measureOptimizer, type TrainingMemoryEstimate } from '../memory/training-memory';
import { withZeroWeights } from '../memory/zero-weights';
import { activations, detectionDatasets, networks, optimizers } from '../registry';

export default class Summary extends AcafCommand {
  static override description =
    "Print a network's layers (name, type, output shape, parameters) and its parameter totals; for a detection config also the detector: backbone levels (layer, stride, shape), head outputs and anchors per level, backbone and head parameters";
  static override examples = [
    '<%= config.bin %> summary configs/quickstart.yaml',
    '<%= config.bin %> summary configs/detection-shapes.yaml',
    '<%= config.bin %> summary --network resnet50 --variant standard --input 224,224,3 --classes 1000',
    '<%= config.bin %> summary --network vgg16 --variant paper --activation ar --json',
  ];
  static override args = { config: Args.string({ description: 'YAML experiment file (its model section and dataset)', required: false }) };
  static override flags = {
    network: Flags.string({ description: 'network to build without a config (see `acaf list networks`)' }),
    variant: Flags.string({
      description: "network variant, without a config: the authors' code or the textbook one",
      options: ['paper', 'standard'],
    }),
    width: Flags.string({ description: 'width multiplier, without a config' }),
    input: Flags.string({ description: 'input shape H,W,C; with a config, instead of loading its dataset (default without: 32,32,3)' }),
    classes: Flags.integer({ description: "number of classes; with a config, instead of its dataset's (default without: 10)", min: 1 }),
    activation: Flags.string({
      description: "activation at every call site, replacing a config's activation and placement (default: the config's, or relu)",
    }),
    set: setFlag,
    json: Flags.boolean({
      description: 'print { params, trainableParams, layers: [{ name, type, outputShape, params }] } (and detector: {...} for detection)',
      default: false,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Summary);
    await tf.setBackend('cpu');
    const config = args.config ? resolveConfig(args.config, { set: flags.set }) : undefined;
    if (config?.task === 'detection') return this.logDetector(config, flags);
    const { model: modelConfig, context } = args.config ? await fromConfig(config!, flags) : fromFlags(flags);
    // Only shapes and counts are shown: zero weights spare drawing every initial value.
    const model = withZeroWeights(() => buildModel(modelConfig, context).model);
    const summary = { ...summarizeModel(model), memory: await memoryOf(model, config) };
    model.dispose();
    this.log(
      flags.json
        ? JSON.stringify(summary, null, 2)
        : `${formatSummary(summary)}\n${formatMemory(summary.memory, context.inputShape, config)}`,
    );
  }

  /** The detector of a detection config: its layers, then its levels and head (input size from data.inputSize). */
  private async logDetector(config: DetectionExperimentConfig, flags: SummaryFlags & { json: boolean }): Promise<void> {
    rejectNetworkFlags(flags);
    if (flags.input !== undefined)
      throw new AcafError('--input: a detection config sets its input size with data.inputSize (--set data.inputSize=...)', 2);
    const model = flags.activation ? { ...config.model, activation: activationOptions(flags.activation), placement: [] } : config.model;
    const numClasses = flags.classes ?? (await detectionClasses(config)).length;
    const inputShape: [number, number, number] = [config.data.inputSize, config.data.inputSize, 3];
    const detector = withZeroWeights(() => buildDetector(model, { inputShape, numClasses }));
    const summary = {
      ...summarizeModel(detector.model),
      memory: await memoryOf(detector.model, config),
      detector: summarizeDetector(detector, model.head.type, inputShape, numClasses),
    };
    detector.model.dispose();
    this.log(
      flags.json
        ? JSON.stringify(summary, null, 2)
        : `${formatSummary(summary)}\n${formatMemory(summary.memory, inputShape, config)}\n\n${formatDetectorSummary(summary.detector)}`,
    );
  }
}

type SummaryFlags = {
  network?: string;
  variant?: string;
  width?: string;
  input?: string;
  classes?: number;
  activation?: string;
  set: string[];
};

function rejectNetworkFlags(flags: SummaryFlags): void {
  for (const flag of ['network', 'variant', 'width'] as const) {
    if (flags[flag] !== undefined)
      throw new AcafError(
        `--${flag} is for summaries without a config; use --set model.network.${flag === 'width' ? 'widthMultiplier' : flag}=... instead`,
        2,
      );
  }
}

/** The class names of a detection config's dataset (the dataset plugin loads it, as a run would). */
async function detectionClasses(config: DetectionExperimentConfig): Promise<string[]> {
  const { train } = await detectionDatasets
    .get(config.data.type, 'data.type')
    .build(config.data, { cwd: process.cwd(), seed: config.seed });
  return train.dataset.classes;
}

async function fromConfig(
  config: ClassificationExperimentConfig,
  flags: SummaryFlags,
): Promise<{ model: ModelConfig; context: ModelBuildContext }> {
  rejectNetworkFlags(flags);
  const model: ModelConfig = flags.activation
    ? { ...config.model, activation: activationOptions(flags.activation), placement: [] }
    : config.model;
  if (flags.input !== undefined && flags.classes !== undefined)
    return { model, context: { inputShape: parseShape(flags.input), numClasses: flags.classes } };
  const dataset = await loadDataset(config.data, { cwd: process.cwd(), seed: config.seed });
  const inputShape = flags.input !== undefined ? parseShape(flags.input) : dataset.shape;
  return { model, context: { inputShape, numClasses: flags.classes ?? dataset.classes.length } };
}

function fromFlags(flags: SummaryFlags): { model: ModelConfig; context: ModelBuildContext } {
  if (!flags.network) throw new AcafError('give a config file or --network <name> (see `acaf list networks`)', 2);
  const plugin = networks.get(flags.network, '--network');
  const overrides: Record<string, unknown> = {};
  if (flags.variant !== undefined) {
    if (!plugin.options.variant) throw new AcafError(`--variant: network '${flags.network}' has no variants`, 2);
    overrides.variant = flags.variant;
  }
  if (flags.width !== undefined) {
    const width = Number(flags.width);
    if (!(width > 0)) throw new AcafError(`--width: '${flags.width}' is not a positive number`, 2);
    overrides.widthMultiplier = width;
  }
  return {
    model: {
      network: networks.withDefaults(plugin.name, overrides) as ModelConfig['network'],
      activation: activationOptions(flags.activation ?? 'relu'),
    },
    context: { inputShape: parseShape(flags.input ?? '32,32,3'), numClasses: flags.classes ?? 10 },
  };
}

function activationOptions(type: string): ModelConfig['activation'] {
  return activations.withDefaults(type, {}, '--activation') as ModelConfig['activation'];
}

function parseShape(text: string): [number, number, number] {
  const shape = text.split(',').map((part) => Number(part.trim()));
  if (shape.length !== 3 || !shape.every((length) => Number.isInteger(length) && length > 0)) {
    throw new AcafError(`--input: '${text}' is not a shape H,W,C of three positive integers`, 2);
  }
  return shape as [number, number, number];
}

function formatSummary(summary: ModelSummary): string {
  const count = (value: number) => value.toLocaleString('en-US');
  const rows = summary.layers.map((layer) => [
    layer.name,
    layer.type,
    JSON.stringify(layer.outputShape).replace(/null/g, 'N'),
    count(layer.params),
  ]);
  return [
    textTable(['layer', 'type', 'output shape', 'params'], rows, { rightAligned: [3], rule: true }),
    '',
    `params:               ${count(summary.params)}`,
    `trainable params:     ${count(summary.trainableParams)}`,
    `non-trainable params: ${count(summary.params - summary.trainableParams)}`,
  ].join('\n');
}

/** Without a config, the estimate is for a batch of this many images under SGD. */
const DEFAULT_MEMORY_BATCH = 64;

/** The training-memory estimate of `model` for the config's batch, accumulation and optimizer (or batch 64, SGD). */
async function memoryOf(model: tf.LayersModel, config: ExperimentConfig | undefined): Promise<TrainingMemoryEstimate> {
  if (config) {
    const inputShape = model.inputs[0].shape.slice(1) as [number, number, number];
    return (await planTrainingMemory(config, model, inputShape, memoryLimitOf('wasm')!)).estimate;
  }
  const { optimizer } = optimizers.build('sgd', optimizers.withDefaults('sgd'), undefined);
  const footprint = await measureOptimizer(optimizer);
  optimizer.dispose();
  return estimateTrainingMemory(model, { batch: DEFAULT_MEMORY_BATCH, optimizer: footprint, accumulating: false });
}

function formatMemory(memory: TrainingMemoryEstimate, [height, width]: number[], config: ExperimentConfig | undefined): string {
  const accumulate = config?.train.accumulate ?? 1;
  const batch =
    accumulate > 1 ? `micro-batch ${memory.batch} (batch ${memory.batch * accumulate}, accumulate ${accumulate})` : `batch ${memory.batch}`;
  const heap = memoryLimitOf('wasm')!;
  const limit = memory.bytes > heap.bytes ? `, more than ${heap.name}` : '';
  return `estimated peak training memory at ${batch}, ${height}x${width}: ${formatBytes(memory.bytes)}${limit}`;
}
