import * as tf from '@tensorflow/tfjs';

export interface LocalResponseNormArgs {
  name?: string;
  depthRadius: number;
  bias: number;
  alpha: number;
  beta: number;
}

/** Local response normalisation across channels (`tf.nn.lrn`), as AlexNet uses after conv1 and conv2. */
export class LocalResponseNorm extends tf.layers.Layer {
  static readonly className = 'AcafLocalResponseNorm';
  private readonly settings: Omit<LocalResponseNormArgs, 'name'>;

  constructor({ name, ...settings }: LocalResponseNormArgs) {
    super({ name });
    this.settings = settings;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const { depthRadius, bias, alpha, beta } = this.settings;
    return tf.localResponseNormalization(x, depthRadius, bias, alpha, beta);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.settings };
  }
}
tf.serialization.registerClass(LocalResponseNorm);
