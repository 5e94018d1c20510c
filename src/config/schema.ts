import type { JsonSchema, Registry } from '../registry';
import { activations, datasets, detectionDatasets, heads, metrics, networks, optimizers, schedules } from '../registry';
import { PLACEMENT_PRESETS } from '../builders/activations/presets';
import { launcherSchema } from './launcher';

/** A key path whose value is `{ type: <plugin name>, ...options }` resolved through a registry. */
export interface PluginSlot {
  /** Key path in the config; `[]` marks "every item of this list". */
  path: string;
  registry: Registry;
  /** Options every plugin of this slot accepts besides its own (e.g. `share` for activations). */
  common?: Record<string, JsonSchema>;
}

const positiveInteger = { type: 'integer', minimum: 1 };

const activationCommon: Record<string, JsonSchema> = {
  share: {
    enum: ['network', 'layer', 'channel', 'element'],
    default: 'layer',
    description: 'parameter sets: one for the network, per call site (the paper), per channel or per unit',
  },
};

const dataCommon: Record<string, JsonSchema> = {
  subset: {
    type: 'object',
    additionalProperties: false,
    properties: { train: positiveInteger, test: positiveInteger },
    description: 'use only the first N images of each split (after class filtering)',
  },
  classes: {
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    minItems: 2,
    uniqueItems: true,
    description: 'keep only these class indexes',
  },
  augment: {
    type: 'object',
    additionalProperties: false,
    properties: {
      crop: { type: 'integer', minimum: 0, default: 0, description: 'random crop after zero-padding by this many pixels' },
      flip: { type: 'boolean', default: false, description: 'random horizontal flip' },
      brightness: { type: 'number', minimum: 0, default: 0, description: 'add a random delta in [-b, b] pixel units (CIFAR tutorial: 63)' },
      contrast: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 0,
        description: 'scale contrast by a random factor in [1-c, 1+c] (tutorial: 0.8)',
      },
    },
    default: {},
    description: 'random train-time augmentation (never on the test split); all off by default, as in the paper',
  },
  resize: {
    type: 'array',
    items: { type: 'integer', minimum: 1 },
    minItems: 2,
    maxItems: 2,
    description: '[height, width]: resize both splits once at load time (bilinear)',
  },
  normalize: {
    enum: ['per-image', 'dataset', 'scale', 'none'],
    default: 'per-image',
    description: "per-image standardisation (the paper's code), dataset mean/std, [0,1] scaling, or raw",
  },
};

const scheduleCommon: Record<string, JsonSchema> = {
  warmup: {
    type: 'object',
    additionalProperties: false,
    properties: { epochs: { type: 'number', minimum: 0, default: 0, description: 'epochs of linear warm-up; 0 = none' } },
    default: { epochs: 0 },
    description: 'linear warm-up from base/steps to the scheduled rate, applied step by step',
  },
};

const detectionDataCommon: Record<string, JsonSchema> = {
  inputSize: { type: 'integer', minimum: 16, default: 416, description: 'side of the square network input; images are letterboxed to it' },
  augment: {
    type: 'object',
    additionalProperties: false,
    properties: {
      flip: { type: 'boolean', default: false, description: 'random horizontal flip (boxes flipped with the pixels)' },
      minScale: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description: 'smallest crop window side relative to the image (< 1 zooms in)',
      },
      maxScale: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description: 'largest crop window side relative to the image (> 1 zooms out, padding)',
      },
      minBoxSize: {
        type: 'number',
        minimum: 0,
        default: 2,
        description: 'boxes narrower or lower than this many pixels after clipping are dropped',
      },
    },
    default: {},
    description: 'random train-time augmentation that moves the boxes with the pixels (never on the test split)',
  },
};

/** What an experiment trains: the keys of `data`, `model` and `eval` differ by task (see experimentSchema). */
export const TASKS = ['classification', 'detection'] as const;
export type TaskName = (typeof TASKS)[number];

/**
 * The plugin slots of a task's config, in the order their errors are reported; without a task, every slot of
 * every task (classification's first), as `acaf schema` documents them.
 */
export function pluginSlots(task?: TaskName): PluginSlot[] {
  const classificationData: PluginSlot = { path: 'data', registry: datasets, common: dataCommon };
  const detectionData: PluginSlot = { path: 'data', registry: detectionDatasets, common: detectionDataCommon };
  const head: PluginSlot = { path: 'model.head', registry: heads };
  const shared: PluginSlot[] = [
    { path: 'model.network', registry: networks },
    { path: 'model.activation', registry: activations, common: activationCommon },
    { path: 'model.placement.[].activation', registry: activations, common: activationCommon },
    { path: 'train.optimizer', registry: optimizers },
    { path: 'train.schedule', registry: schedules, common: scheduleCommon },
  ];
  const metricsSlot: PluginSlot = { path: 'eval.metrics.[]', registry: metrics };
  if (task === 'classification') return [classificationData, ...shared, metricsSlot];
  if (task === 'detection') return [detectionData, ...shared, head];
  return [classificationData, ...shared, metricsSlot, detectionData, head];
}

/** `{ type, ...options }` for one registry: a discriminated union of every plugin's option schema. */
export function pluginSlotSchema(slot: PluginSlot): JsonSchema {
  const plugins = slot.registry.list();
  const typeSchema = { type: 'string', description: `a registered ${slot.registry.kind}: see \`acaf list\`` };
  if (plugins.length === 0) return { type: 'object', required: ['type'], properties: { type: typeSchema } };
  return {
    type: 'object',
    required: ['type'],
    properties: { type: typeSchema },
    discriminator: { propertyName: 'type' },
    oneOf: plugins.map((plugin) => ({
      type: 'object',
      description: plugin.description,
      properties: { type: { const: plugin.name }, ...slot.common, ...plugin.options },
      required: ['type', ...(plugin.required ?? [])],
      additionalProperties: false,
    })),
  };
}

function section(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required, default: {} };
}

/** Keys every task's config has at the top, besides its sections. */
const runKeys: Record<string, JsonSchema> = {
  name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'run name; runs go to <output.dir>/<name>/<timestamp>/' },
  description: { type: 'string', description: 'free text recorded with the run' },
  reproduces: {
    type: 'string',
    description: "the table and row(s) of the paper this config reproduces, e.g. 'CIFAR-10 accuracy table, LeNet column'",
  },
  seed: { type: 'integer', minimum: 0, default: 1, description: 'drives initialisation, shuffling, augmentation and dropout' },
  backend: {
    enum: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'onednn', 'cpu'],
    default: 'auto',
    description:
      'auto takes the first that loads of tensorflow-gpu, tensorflow, wasm, onednn, cpu (on wasm, a training step its 4 GiB heap cannot hold goes to the next)',
  },
};

const protocol: JsonSchema = {
  enum: ['corrected', 'paper-faithful'],
  default: 'corrected',
  description:
    "paper-faithful reproduces the authors' code (one 64-image test batch per epoch, 781 steps per epoch, no augmentation, and each network's own quirks: double softmax, batch statistics at test time); corrected fixes them. Default: paper-faithful when the config names the row it `reproduces`, else corrected",
};

/** `model.network`, `model.activation` and `model.placement`: the same for every task. */
function modelKeys(slot: (path: string) => JsonSchema): Record<string, JsonSchema> {
  return {
    network: slot('model.network'),
    activation: { ...slot('model.activation'), default: { type: 'relu' } },
    init: {
      type: 'object',
      additionalProperties: false,
      required: ['from'],
      properties: {
        from: {
          type: 'string',
          description: 'a run directory (its checkpoints/last), a checkpoint directory or a model.json, relative to the working directory',
        },
        strict: {
          type: 'boolean',
          default: true,
          description: "a saved weight of another shape than the model's is an error; false leaves it at its initial value",
        },
      },
      description:
        'warm start: before training, every weight takes the saved value of the same name (layer/weight); what was loaded, missing or of another shape is printed and recorded in env.json',
    },
    placement: {
      type: 'array',
      default: [],
      description:
        'rules giving some call sites another activation; a rule selects the sites matching all its sites/layers/preset; later rules win',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['activation'],
        properties: {
          sites: {
            oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
            description: "call-site name patterns, '*' matching any run of characters (e.g. 'block3.*')",
          },
          layers: {
            type: 'array',
            items: { type: 'integer' },
            minItems: 2,
            maxItems: 2,
            description: 'inclusive range of call-site indexes, counted from 0; negative counts from the end',
          },
          preset: {
            enum: Object.keys(PLACEMENT_PRESETS),
            description: 'a named placement from the paper (src/builders/activations/presets.ts)',
          },
          activation: slot('model.placement.[].activation'),
        },
      },
    },
  };
}

function trainKeys(slot: (path: string) => JsonSchema): Record<string, JsonSchema> {
  return {
    epochs: { ...positiveInteger, default: 10, description: 'passes over the training split' },
    batchSize: { ...positiveInteger, default: 64, description: 'training images per step (the paper: 64)' },
    accumulate: {
      ...positiveInteger,
      default: 1,
      description:
        'gradient accumulation: split each batch of batchSize images into this many micro-batches of batchSize/accumulate, ' +
        'run them one after another (only one micro-batch of activations in memory) and step the optimizer once on the mean ' +
        'of their gradients; steps per epoch, schedules and logging stay per batch. Must divide batchSize. Batch-norm ' +
        'statistics are then per micro-batch (as in PyTorch)',
    },
    optimizer: slot('train.optimizer'),
    schedule: { ...slot('train.schedule'), default: { type: 'constant' } },
    weightDecay: {
      type: 'number',
      minimum: 0,
      default: 0,
      description:
        'L2 penalty weightDecay * sum(w^2) / 2 added to the loss, for every optimizer; only conv/dense kernels (not biases, batch-norm or activation parameters)',
    },
  };
}

const evalEvery: JsonSchema = { ...positiveInteger, default: 1, description: 'evaluate on the whole test split every N epochs' };

const outputKeys = {
  launcher: launcherSchema,
  output: section({ dir: { type: 'string', default: 'runs', description: 'root folder of run directories' } }),
  logging: section({
    tensorboard: {
      type: 'boolean',
      default: false,
      description:
        'write TensorBoard event files to <run>/tensorboard/ (scalars, activation parameters, weight histograms, activation curves), on every backend',
    },
  }),
};

/** A task's own keys in each section, beside the shared ones. */
interface TaskKeys {
  top: Record<string, JsonSchema>;
  model: Record<string, JsonSchema>;
  modelRequired: string[];
  train: Record<string, JsonSchema>;
  eval: Record<string, JsonSchema>;
}

const taskKeys: Record<TaskName, (slot: (path: string) => JsonSchema) => TaskKeys> = {
  classification: (slot) => ({
    top: { protocol },
    model: {
      outputSoftmax: {
        type: 'boolean',
        default: false,
        description:
          "apply softmax to the logits before the from-logits loss (the 'double softmax' of the authors' LeNet, GoogLeNet and ResNet50)",
      },
    },
    modelRequired: [],
    train: {
      labelSmoothing: {
        type: 'number',
        minimum: 0,
        exclusiveMaximum: 1,
        default: 0,
        description: 'mix this much of the uniform distribution into the one-hot targets',
      },
      dropLastBatch: {
        type: 'boolean',
        default: false,
        description: "skip an epoch's last batch when it is smaller than batchSize (the authors' code: 781 steps for 50,000 images at 64)",
      },
    },
    eval: {
      every: evalEvery,
      window: {
        ...positiveInteger,
        description:
          "evaluate on only this many test images, the next ones in order each time, wrapping around (the authors' code: 64); absent = the whole split",
      },
      batchSize: {
        ...positiveInteger,
        default: 256,
        description: 'test images per forward pass (memory only; metrics cover the whole split)',
      },
      metrics: {
        type: 'array',
        items: slot('eval.metrics.[]'),
        default: [{ type: 'accuracy' }, { type: 'top5' }, { type: 'weighted-prf' }, { type: 'confusion' }],
        description: 'metrics computed on the whole test split (or eval.window) at each evaluation',
      },
    },
  }),
  detection: (slot) => ({
    top: {},
    model: {
      head: slot('model.head'),
      backbone: {
        type: 'object',
        additionalProperties: false,
        properties: {
          levels: {
            ...positiveInteger,
            default: 3,
            description:
              "feature maps: the last layer of each of the network's N coarsest spatial resolutions with at least minGrid x minGrid cells",
          },
          minGrid: {
            ...positiveInteger,
            default: 4,
            description: 'with levels: the smallest grid side a feature map may have (keeps small inputs off 2x2 grids)',
          },
          strides: {
            type: 'array',
            items: { type: 'number', exclusiveMinimum: 0 },
            minItems: 1,
            description:
              'or the output strides of the feature maps, finest first, e.g. [8, 16, 32] (each takes the resolution of nearest stride)',
          },
          layers: {
            type: 'array',
            items: { type: 'string' },
            minItems: 1,
            description: 'or name the feature layers explicitly, finest first (layers, then strides, then levels)',
          },
        },
        default: {},
        description: 'which layers of model.network feed the head',
      },
    },
    modelRequired: ['head'],
    train: {},
    eval: { every: evalEvery, batchSize: { ...positiveInteger, default: 32, description: 'test images per forward pass' } },
  }),
};

/** One task's complete experiment schema: the shared keys plus the task's own. */
export function experimentSchema(task: TaskName): JsonSchema {
  const slot = (path: string) => pluginSlotSchema(pluginSlots(task).find((s) => s.path === path)!);
  const own = taskKeys[task](slot);
  return {
    type: 'object',
    additionalProperties: false,
    required: ['task', 'name', 'data', 'model', 'train'],
    properties: {
      task: { const: task },
      ...runKeys,
      ...own.top,
      data: slot('data'),
      model: section({ ...modelKeys(slot), ...own.model }, ['network', ...own.modelRequired]),
      train: section({ ...trainKeys(slot), ...own.train }, ['optimizer']),
      eval: section(own.eval),
      ...outputKeys,
    },
  };
}

/** The whole experiment schema: one complete schema per task, chosen by `task` (validate.ts fills in the default). */
export function buildConfigSchema(): JsonSchema {
  return {
    $id: 'https://acaf.dev/schema/experiment.json',
    title: 'acaf experiment',
    type: 'object',
    required: ['task'],
    properties: {
      task: {
        enum: [...TASKS],
        default: 'classification',
        description: 'what the experiment trains: an image classifier or an object detector',
      },
    },
    discriminator: { propertyName: 'task' },
    oneOf: TASKS.map(experimentSchema),
  };
}
