import * as tf from '@tensorflow/tfjs';
import { movingAverages } from 'tfjs-wasm-training';
import { normalizeBatchInTraining } from './batch-norm-training';

/** Which statistics normalise at test time: the current batch's (the paper's code) or the moving averages. */
export type TestStatistics = 'batch' | 'moving';

export interface BatchNormArgs {
  name?: string;
  /** Decay of the moving averages, as in Keras: new = momentum * old + (1 - momentum) * batch. */
  momentum: number;
  epsilon: number;
  testStatistics: TestStatistics;
}

/**
 * Batch normalisation over the last axis whose test-time statistics are configurable. The paper's code
 * (`batch_norm` in its model files) never runs its moving-average updates and always normalises with the
 * current batch, also at test time; `testStatistics: 'batch'` reproduces that while still keeping moving
 * averages (updated only in training), so a run can be re-evaluated either way.
 */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'AcafBatchNorm';
  private readonly momentum: number;
  private readonly epsilon: number;
  /** Set only through withTestStatistics, for the duration of one evaluation. */
  private testStatistics: TestStatistics;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(args: BatchNormArgs) {
    super({ name: args.name });
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
    this.testStatistics = args.testStatistics;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const channels = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const training = kwargs.training === true;
    if (!training && this.testStatistics === 'moving') {
      return tf.batchNorm(x, this.movingMean.read(), this.movingVariance.read(), this.beta.read(), this.gamma.read(), this.epsilon);
    }
    const gamma = this.gamma.read() as tf.Tensor1D;
    const beta = this.beta.read() as tf.Tensor1D;
    if (training)
      return normalizeBatchInTraining(x, gamma, beta, this.epsilon, (mean, variance) => this.updateMovingAverages(mean, variance));
    const axes = x.shape.map((_, axis) => axis).slice(0, -1);
    const { mean, variance } = tf.moments(x, axes);
    return tf.batchNorm(x, mean, variance, beta, gamma, this.epsilon);
  }

  /** new = momentum * old + (1 - momentum) * batch for both statistics, in one kernel where the backend has one. */
  private updateMovingAverages(mean: tf.Tensor, variance: tf.Tensor): void {
    tf.tidy(() => {
      const [movingMean, movingVariance] = movingAverages(
        [
          [this.movingMean.read(), mean],
          [this.movingVariance.read(), variance],
        ],
        this.momentum,
      );
      this.movingMean.write(movingMean);
      this.movingVariance.write(movingVariance);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, testStatistics: this.testStatistics };
  }
}
tf.serialization.registerClass(BatchNorm);

/**
 * Runs `evaluate` with every batch norm of `model` using `statistics` at test time, then restores each layer's own
 * setting: a paper-faithful run (batch statistics) also measures itself the corrected way (moving statistics).
 */
export function withTestStatistics<T>(model: tf.LayersModel, statistics: TestStatistics, evaluate: () => T): T {
  const layers = model.layers.filter((layer): layer is BatchNorm => layer instanceof BatchNorm);
  const own = layers.map((layer) => layer['testStatistics']);
  for (const layer of layers) layer['testStatistics'] = statistics;
  try {
    return evaluate();
  } finally {
    layers.forEach((layer, index) => (layer['testStatistics'] = own[index]));
  }
}
