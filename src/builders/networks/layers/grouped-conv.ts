import * as tf from '@tensorflow/tfjs';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';

export interface GroupedConv2DArgs {
  name?: string;
  filters: number;
  kernelSize: number;
  strides: number;
  padding: 'same' | 'valid';
  /** Input and output channels are split into this many groups convolved independently (AlexNet's two GPUs). */
  groups: number;
  useBias: boolean;
  /** An initializer, or its serialised form `{ className, config }` when the layer is loaded from JSON. */
  kernelInitializer: tf.serialization.Serializable | SerializedInitializer;
  biasInitializer: tf.serialization.Serializable | SerializedInitializer;
}

interface SerializedInitializer {
  className: string;
  config: tf.serialization.ConfigDict;
}

/** Rebuilds a serialised tfjs initializer through the class map tfjs registers them in. */
function initializer(value: tf.serialization.Serializable | SerializedInitializer): Initializer {
  if (value instanceof tf.serialization.Serializable) return value as Initializer;
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[value.className];
  return fromConfig(cls, value.config) as Initializer;
}

function serializeInitializer(value: tf.serialization.Serializable | SerializedInitializer): SerializedInitializer {
  const init = initializer(value);
  return { className: init.getClassName(), config: init.getConfig() };
}

/** A 2-D convolution whose channels are split into groups, each with its own slice of the kernel. */
export class GroupedConv2D extends tf.layers.Layer {
  static readonly className = 'AcafGroupedConv2D';
  private readonly args: Omit<GroupedConv2DArgs, 'name'>;
  private kernel!: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor({ name, ...args }: GroupedConv2DArgs) {
    super({ name });
    this.args = args;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = (inputShape as tf.Shape)[3] as number;
    const { filters, groups, kernelSize } = this.args;
    if (channels % groups !== 0 || filters % groups !== 0) {
      throw new Error(`${this.name}: ${channels} input and ${filters} output channels do not split into ${groups} groups`);
    }
    const kernelShape = [kernelSize, kernelSize, channels / groups, filters];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', initializer(this.args.kernelInitializer));
    if (this.args.useBias) this.bias = this.addWeight('bias', [filters], 'float32', initializer(this.args.biasInitializer));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const { groups, strides, padding } = this.args;
    const inputGroups = tf.split(x, groups, 3);
    const kernelGroups = tf.split(this.kernel.read() as tf.Tensor4D, groups, 3);
    const outputs = inputGroups.map((group, index) =>
      tf.conv2d(group as tf.Tensor4D, kernelGroups[index] as tf.Tensor4D, strides, padding),
    );
    const y = tf.concat(outputs, 3);
    return this.bias ? tf.add(y, this.bias.read()) : y;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, height, width] = inputShape as tf.Shape;
    const { kernelSize, strides, padding, filters } = this.args;
    const size = (length: number | null) => {
      if (length === null) return null;
      return padding === 'same' ? Math.ceil(length / strides) : Math.floor((length - kernelSize) / strides) + 1;
    };
    return [batch, size(height), size(width), filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { kernelInitializer, biasInitializer, ...rest } = this.args;
    return {
      ...super.getConfig(),
      ...rest,
      kernelInitializer: serializeInitializer(kernelInitializer) as unknown as tf.serialization.ConfigDict,
      biasInitializer: serializeInitializer(biasInitializer) as unknown as tf.serialization.ConfigDict,
    };
  }
}
tf.serialization.registerClass(GroupedConv2D);
