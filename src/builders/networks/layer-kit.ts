import * as tf from '@tensorflow/tfjs';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import { AcafError } from '../../errors';
import type { ActivationProvider } from '../activations/types';
import { BatchNorm } from './layers/batch-norm';
import { GroupedConv2D } from './layers/grouped-conv';
import { InputConv2D } from './layers/input-conv2d';
import { LocalResponseNorm } from './layers/local-response-norm';
import type { NetworkSettings } from './options';

type Tensor = tf.SymbolicTensor;

/** How the authors' code initialises a layer, used when `initializer: paper`. */
export interface PaperInit {
  kernel: () => Initializer;
  /** Constant bias value; biases start at 0 for every non-paper initializer. */
  bias?: number;
}

export interface ConvSpec {
  filters: number;
  kernel: number;
  strides?: number;
  padding?: 'same' | 'valid';
  useBias?: boolean;
  groups?: number;
  init?: PaperInit;
}

/** Creates a named kernel initializer; no fixed seed, so the trainer's seeded Math.random drives it. */
const namedInitializers: Record<Exclude<NetworkSettings['initializer'], 'paper'>, () => Initializer> = {
  'glorot-uniform': () => tf.initializers.glorotUniform({}),
  'glorot-normal': () => tf.initializers.glorotNormal({}),
  'he-normal': () => tf.initializers.heNormal({}),
};

/**
 * The building blocks networks are made of, bound to one network's settings and activation provider:
 * every layer gets an explicit readable name, every activation comes from the provider, every kernel from the
 * configured initializer.
 */
export class LayerKit {
  constructor(
    readonly settings: NetworkSettings,
    private readonly activation: ActivationProvider,
    /** The network's default paper initialisation, for layers that do not give their own. */
    private readonly paperInit: PaperInit,
  ) {}

  /** `channels` scaled by the width multiplier, rounded to a multiple of `multipleOf` (at least one multiple). */
  width(channels: number, multipleOf = 1): number {
    return Math.max(1, Math.round((channels * this.settings.widthMultiplier) / multipleOf)) * multipleOf;
  }

  act(x: Tensor, site: string): Tensor {
    return this.activation(site).apply(x) as Tensor;
  }

  conv(x: Tensor, name: string, spec: ConvSpec): Tensor {
    const { filters, kernel, strides = 1, padding = 'same', useBias = true, groups = 1 } = spec;
    const [height, width] = x.shape.slice(1, 3) as number[];
    if (padding === 'valid' && Math.min(height, width) < kernel) {
      throw new AcafError(
        `${name}: a ${kernel}x${kernel} convolution needs at least ${kernel}x${kernel} pixels, got ${height}x${width}; the input shape is too small for this network`,
      );
    }
    const init = this.initializers(spec.init);
    if (groups > 1) {
      const layer = new GroupedConv2D({ name, filters, kernelSize: kernel, strides, padding, groups, useBias, ...init });
      return layer.apply(x) as Tensor;
    }
    const args = { name, filters, kernelSize: kernel, strides, padding, useBias, ...init };
    const readsImages = x.sourceLayer.getClassName() === 'InputLayer';
    return (readsImages ? new InputConv2D(args) : tf.layers.conv2d(args)).apply(x) as Tensor;
  }

  dense(x: Tensor, name: string, units: number, init?: PaperInit): Tensor {
    return tf.layers.dense({ name, units, ...this.initializers(init) }).apply(x) as Tensor;
  }

  batchNorm(x: Tensor, name: string): Tensor {
    const { momentum, epsilon, testStatistics } = this.settings.batchNorm;
    return new BatchNorm({ name, momentum, epsilon, testStatistics }).apply(x) as Tensor;
  }

  /** Dropout at the configured rate (or a fixed one); no layer at all when the rate is 0. */
  dropout(x: Tensor, name: string, rate = this.settings.dropout): Tensor {
    if (rate === 0) return x;
    return tf.layers.dropout({ name, rate }).apply(x) as Tensor;
  }

  localResponseNorm(x: Tensor, name: string, depthRadius: number): Tensor {
    return new LocalResponseNorm({ name, depthRadius, bias: 2, alpha: 1e-4, beta: 0.75 }).apply(x) as Tensor;
  }

  /**
   * Pooling; `valid` windows larger than the feature map (small inputs to ImageNet architectures) fall back to
   * `same` padding, which keeps at least one output pixel.
   */
  maxPool(x: Tensor, name: string, size: number, strides: number, padding: 'same' | 'valid' = 'same'): Tensor {
    return tf.layers.maxPooling2d({ name, poolSize: size, strides, padding: this.fit(x, size, padding) }).apply(x) as Tensor;
  }

  avgPool(x: Tensor, name: string, size: number, strides: number, padding: 'same' | 'valid' = 'same'): Tensor {
    return tf.layers.averagePooling2d({ name, poolSize: size, strides, padding: this.fit(x, size, padding) }).apply(x) as Tensor;
  }

  globalAvgPool(x: Tensor, name: string): Tensor {
    return tf.layers.globalAveragePooling2d({ name }).apply(x) as Tensor;
  }

  flatten(x: Tensor, name: string): Tensor {
    return tf.layers.flatten({ name }).apply(x) as Tensor;
  }

  concat(xs: Tensor[], name: string): Tensor {
    return tf.layers.concatenate({ name, axis: -1 }).apply(xs) as Tensor;
  }

  add(xs: Tensor[], name: string): Tensor {
    return tf.layers.add({ name }).apply(xs) as Tensor;
  }

  private fit(x: Tensor, size: number, padding: 'same' | 'valid'): 'same' | 'valid' {
    const [height, width] = x.shape.slice(1, 3) as number[];
    return padding === 'valid' && Math.min(height, width) < size ? 'same' : padding;
  }

  private initializers(init: PaperInit = this.paperInit): { kernelInitializer: Initializer; biasInitializer: Initializer } {
    if (this.settings.initializer === 'paper') {
      return { kernelInitializer: init.kernel(), biasInitializer: tf.initializers.constant({ value: init.bias ?? 0 }) };
    }
    return { kernelInitializer: namedInitializers[this.settings.initializer](), biasInitializer: tf.initializers.zeros() };
  }
}
