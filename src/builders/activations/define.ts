import type { JsonSchema } from '../../registry';
import { activations } from '../../registry';
import { activationLayerClass, Constants, Formula } from './activation-layer';
import type { ActivationOptions } from './types';

/** A fixed numeric option of an activation (e.g. lrelu's slope): JSON schema with its default. */
export interface ConstantOption {
  default: number;
  description: string;
  minimum?: number;
}

export interface ActivationDefinition {
  /** Registry name used as `type:` in configs. */
  name: string;
  /** tfjs serialisation class name in saved model.json files; must never change once models are saved. */
  className: string;
  /** One line for `acaf list activations`. */
  description: string;
  /** Learnable parameters with their default initial values (omit for fixed functions). */
  parameters?: Record<string, number>;
  constants?: Record<string, ConstantOption>;
  formula: Formula;
}

/**
 * Defines an activation plugin: its serialisable layer class and its registry entry with the options
 * `init` and `freeze` (when it has learnable parameters) and one option per constant.
 */
export function defineActivation(definition: ActivationDefinition): void {
  const parameters = definition.parameters ?? {};
  const constants = definition.constants ?? {};
  const spec = { type: definition.name, parameters, formula: definition.formula };
  const LayerClass = activationLayerClass(definition.className, spec);
  activations.register<ActivationOptions>({
    name: definition.name,
    definition: { ...spec, constants },
    description: definition.description,
    options: { ...parameterOptions(parameters), ...constantOptions(constants) },
    build: (options, { site }) =>
      new LayerClass({
        name: site,
        share: options.share,
        init: options.init as Record<string, number> | undefined,
        freeze: options.freeze as string[] | undefined,
        constants: constantValues(constants, options),
      }),
  });
}

/** The configured value of each constant, its default where the options leave it out. */
export function constantValues(constants: Record<string, ConstantOption>, options: Record<string, unknown>): Constants {
  return Object.fromEntries(
    Object.entries(constants).map(([name, option]) => [name, (options[name] as number | undefined) ?? option.default]),
  );
}

function parameterOptions(parameters: Record<string, number>): Record<string, JsonSchema> {
  const names = Object.keys(parameters);
  if (names.length === 0) return {};
  return {
    init: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(names.map((name) => [name, { type: 'number', default: parameters[name] }])),
      default: {},
      description: `initial values of ${names.join(', ')}`,
    },
    freeze: {
      type: 'array',
      items: { enum: names },
      uniqueItems: true,
      default: [],
      description: 'parameters kept at their initial value (not trained)',
    },
  };
}

function constantOptions(constants: Record<string, ConstantOption>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(constants).map(([name, option]) => [name, { type: 'number', ...option }]));
}
