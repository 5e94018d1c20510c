import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../../errors';
import type { ShareMode } from './types';

/** Each learnable parameter's current value: a scalar, a [channels] vector or one value per unit (see share). */
export type ParameterTensors = Record<string, tf.Tensor>;
/** Fixed numeric options stored with the layer, e.g. lrelu's `slope`. */
export type Constants = Record<string, number>;
/** The function itself: z and the parameters broadcast against each other. */
export type Formula = (z: tf.Tensor, parameters: ParameterTensors, constants: Constants) => tf.Tensor;

type Shape = (number | null)[];

/** What makes one activation: its learnable parameters with their default initial values, and its formula. */
export interface ActivationSpec {
  /** The registry name (`as`, `relu`...), reported by inspection. */
  type: string;
  /** Learnable parameters and their default initial values, in formula order; empty for fixed functions. */
  parameters: Record<string, number>;
  formula: Formula;
}

/** What an activation's registry entry carries when defineActivation made it: its spec and its constants' defaults. */
export interface DefinedActivationSpec extends ActivationSpec {
  constants: Record<string, { default: number }>;
}

export interface ActivationLayerArgs {
  name?: string;
  trainable?: boolean;
  share?: ShareMode;
  /** Initial value per parameter; missing ones take the spec's default. */
  init?: Record<string, number>;
  /** Parameters kept at their initial value (non-trainable weights). */
  freeze?: string[];
  constants?: Constants;
}

/**
 * One activation call site as a tfjs layer: `spec.formula` applied elementwise, with the spec's parameters as
 * weights shaped by `share` (scalar for network/layer, [channels] for channel, the input's unit shape for element).
 * Every activation plugin is a subclass made by `activationLayerClass`, registered for (de)serialisation.
 */
export class ActivationLayer extends tf.layers.Layer {
  readonly share: ShareMode;
  readonly init: Record<string, number>;
  readonly freeze: string[];
  readonly constants: Constants;
  private variables: Record<string, tf.LayerVariable> = {};

  constructor(
    args: ActivationLayerArgs,
    readonly spec: ActivationSpec,
  ) {
    super({ name: args.name, trainable: args.trainable });
    this.share = args.share ?? 'layer';
    this.init = { ...spec.parameters, ...args.init };
    this.freeze = args.freeze ?? [];
    this.constants = args.constants ?? {};
    const known = Object.keys(spec.parameters);
    for (const name of [...Object.keys(args.init ?? {}), ...this.freeze]) {
      if (!known.includes(name)) {
        throw new AcafError(
          `activation '${spec.type}' at '${this.name}' has no parameter '${name}'; parameters: ${known.join(', ') || '(none)'}`,
        );
      }
    }
  }

  /** Names of the learnable parameters, in formula order (e.g. a, b, c, d). */
  get parameterNames(): string[] {
    return Object.keys(this.spec.parameters);
  }

  /** The current value of each parameter (the layer's own variables; do not dispose). */
  parameterValues(): ParameterTensors {
    return Object.fromEntries(Object.entries(this.variables).map(([name, variable]) => [name, variable.read()]));
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.parameterShape(Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape));
    for (const name of this.parameterNames) {
      const initializer = tf.initializers.constant({ value: this.init[name] });
      this.variables[name] = this.addWeight(name, shape, 'float32', initializer, undefined, !this.freeze.includes(name));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const z = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.spec.formula(z, this.parameterValues(), this.constants);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), share: this.share, init: this.init, freeze: this.freeze, constants: this.constants };
  }

  /** Like tfjs PReLU's sharedAxes: every axis but the batch is shared (scalar), all but the last, or none. */
  private parameterShape(inputShape: Shape): number[] {
    if (this.parameterNames.length === 0 || this.share === 'network' || this.share === 'layer') return [];
    const unitShape = this.share === 'channel' ? inputShape.slice(-1) : inputShape.slice(1);
    if (unitShape.some((size) => size === null)) {
      throw new AcafError(
        `activation '${this.spec.type}' at '${this.name}' with share: ${this.share} needs a known input shape, got [${inputShape.join(', ')}]`,
      );
    }
    return unitShape as number[];
  }
}

/** The serialisable layer class of one activation, registered with tfjs so saved models load again. */
export function activationLayerClass(className: string, spec: ActivationSpec): new (args: ActivationLayerArgs) => ActivationLayer {
  const layerClass = class extends ActivationLayer {
    static className = className;
    constructor(args: ActivationLayerArgs = {}) {
      super(args, spec);
    }
  };
  tf.serialization.registerClass(layerClass);
  return layerClass;
}
