import * as tf from '@tensorflow/tfjs';
import { defineComposedOps, runOp, type ComposedOp } from './composed-ops';

/**
 * The passes of batch normalisation in training over every axis but the last (channels), as ops with kernel names of
 * their own. A backend may register a fused kernel under these names (this package's wasm kernels do: one pass over the
 * activation instead of a chain of tfjs ops and temporaries, one kernel for the per-channel arithmetic between the
 * passes instead of five to eight tfjs ops that each cost more in engine overhead than in arithmetic); elsewhere they
 * run as the tfjs ops below, which are also registered as the cpu backend's kernels: the oracle the fused kernels are
 * tested against.
 */
export const CHANNEL_MOMENTS = 'AcafChannelMoments';
export const NORMALIZATION_GRADIENT_SUMS = 'AcafNormalizationGradientSums';
export const NORMALIZATION_GRADIENT_SCALES = 'AcafNormalizationGradientScales';
export const NORMALIZATION_INPUT_GRADIENT = 'AcafNormalizationInputGradient';
export const MOVING_AVERAGES = 'AcafMovingAverages';
/** Training's forward pass in one op, and its gradient in one op: compositions of the passes above. */
export const BATCH_NORM_TRAINING = 'AcafBatchNormTraining';
export const BATCH_NORM_GRADIENT = 'AcafBatchNormGradient';

const leadingAxes = (x: tf.Tensor) => x.shape.slice(0, -1).map((_, axis) => axis);

/** Each op as tfjs ops, from its named inputs and attributes to its outputs. */
export const COMPOSED_NORMALIZATION_OPS: Record<string, ComposedOp> = {
  // mean and (biased) variance per channel
  [CHANNEL_MOMENTS]: ({ x }) => {
    const mean = tf.mean(x, leadingAxes(x));
    return [mean, tf.mean(tf.squaredDifference(x, mean), leadingAxes(x))];
  },
  // sum(dy) and sum(dy * (x - mean)) per channel
  [NORMALIZATION_GRADIENT_SUMS]: ({ dy, x, mean }) => [tf.sum(dy, leadingAxes(dy)), tf.sum(tf.mul(dy, tf.sub(x, mean)), leadingAxes(dy))],
  // The per-channel factors of the input gradient from the sums, with invStd = 1 / sqrt(variance + epsilon) and
  // count values per channel: [dGamma, dyScale, centeredScale, shift] (see normalizationGradientScales).
  [NORMALIZATION_GRADIENT_SCALES]: ({ variance, gamma, dySums, centeredSums }, { epsilon, count }) => {
    const invStd = tf.rsqrt(tf.add(variance, epsilon as number));
    const dGamma = tf.mul(centeredSums, invStd);
    const dyScale = tf.mul(gamma, invStd);
    const negativeCount = -(count as number);
    return [
      dGamma,
      dyScale,
      tf.div(tf.mul(tf.mul(dyScale, invStd), dGamma), negativeCount),
      tf.div(tf.mul(dyScale, dySums), negativeCount),
    ];
  },
  // dy * dyScale + (x - mean) * centeredScale + shift, with per-channel dyScale, mean, centeredScale and shift
  [NORMALIZATION_INPUT_GRADIENT]: ({ dy, x, dyScale, mean, centeredScale, shift }) => [
    tf.add(tf.add(tf.mul(dy, dyScale), tf.mul(tf.sub(x, mean), centeredScale)), shift),
  ],
  // [y, mean, variance]: the batch's moments and x normalised by them (tfjs's batchNorm), gamma and beta per channel
  [BATCH_NORM_TRAINING]: ({ x, gamma, beta }, { epsilon }) => {
    const { mean, variance } = channelMoments(x);
    return [tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, epsilon as number), mean, variance];
  },
  // [dx, dGamma, dBeta] of BATCH_NORM_TRAINING's y, from the batch's x, mean and variance and gamma
  [BATCH_NORM_GRADIENT]: ({ dy, x, mean, variance, gamma }, { epsilon }) => {
    const count = x.size / x.shape[x.shape.length - 1];
    const [dBeta, centeredSums] = normalizationGradientSums(dy, x, mean as tf.Tensor1D);
    const scales = normalizationGradientScales(
      variance as tf.Tensor1D,
      gamma as tf.Tensor1D,
      dBeta,
      centeredSums,
      epsilon as number,
      count,
    );
    const { dGamma, ...vectors } = scales;
    return [normalizationInputGradient(dy, x, { mean: mean as tf.Tensor1D, ...vectors }), dGamma, dBeta];
  },
  // average * momentum + value * (1 - momentum) for each pair (average0, value0), (average1, value1), ...
  [MOVING_AVERAGES]: (inputs, { momentum }) =>
    movingAveragePairs(inputs).map(([average, value]) =>
      tf.add(tf.mul(average, momentum as number), tf.mul(value, 1 - (momentum as number))),
    ),
};

/** The [average, value] pairs of AcafMovingAverages' inputs, in order. */
export function movingAveragePairs<T>(inputs: Record<string, T>): [T, T][] {
  return Array.from({ length: Object.keys(inputs).length / 2 }, (_, pair) => [inputs[`average${pair}`], inputs[`value${pair}`]]);
}

defineComposedOps(COMPOSED_NORMALIZATION_OPS);

export function channelMoments(x: tf.Tensor): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [mean, variance] = runOp(CHANNEL_MOMENTS, { x }) as tf.Tensor1D[];
  return { mean, variance };
}

/** [sum(dy), sum(dy * (x - mean))] per channel. */
export function normalizationGradientSums(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor1D): [tf.Tensor1D, tf.Tensor1D] {
  const [dySums, centeredSums] = runOp(NORMALIZATION_GRADIENT_SUMS, { dy, x, mean }) as tf.Tensor1D[];
  return [dySums, centeredSums];
}

/**
 * The per-channel factors of batch normalisation's gradient, from the per-channel variance (biased), scale gamma and
 * gradient sums (normalizationGradientSums) over `count` values per channel, with invStd = 1 / sqrt(variance + epsilon):
 * dGamma = centeredSums * invStd, dyScale = gamma * invStd, centeredScale = dyScale * invStd * dGamma / -count and
 * shift = dyScale * dySums / -count, the input gradient's factors (normalizationInputGradient).
 */
export function normalizationGradientScales(
  variance: tf.Tensor1D,
  gamma: tf.Tensor1D,
  dySums: tf.Tensor1D,
  centeredSums: tf.Tensor1D,
  epsilon: number,
  count: number,
): { dGamma: tf.Tensor1D; dyScale: tf.Tensor1D; centeredScale: tf.Tensor1D; shift: tf.Tensor1D } {
  const [dGamma, dyScale, centeredScale, shift] = runOp(
    NORMALIZATION_GRADIENT_SCALES,
    { variance, gamma, dySums, centeredSums },
    { epsilon, count },
  ) as tf.Tensor1D[];
  return { dGamma, dyScale, centeredScale, shift };
}

/** dy * dyScale + (x - mean) * centeredScale + shift, with per-channel vectors. */
export function normalizationInputGradient(
  dy: tf.Tensor,
  x: tf.Tensor,
  vectors: { dyScale: tf.Tensor1D; mean: tf.Tensor1D; centeredScale: tf.Tensor1D; shift: tf.Tensor1D },
): tf.Tensor {
  return runOp(NORMALIZATION_INPUT_GRADIENT, { dy, x, ...vectors })[0];
}

/**
 * Exponential moving averages: for each [average, value] pair, average * momentum + value * (1 - momentum), as
 * tfjs computes `add(mul(average, momentum), mul(value, 1 - momentum))` in float32; one kernel for all pairs (a batch
 * norm layer's mean and variance).
 */
export function movingAverages(pairs: [tf.Tensor, tf.Tensor][], momentum: number): tf.Tensor[] {
  const inputs = Object.fromEntries(
    pairs.flatMap(([average, value], pair) => [
      [`average${pair}`, average],
      [`value${pair}`, value],
    ]),
  );
  return runOp(MOVING_AVERAGES, inputs, { momentum });
}

/**
 * Batch normalisation of `x` over every axis but the last in training: the batch's per-channel mean and (biased)
 * variance, and x normalised by them, scaled by gamma and shifted by beta; one kernel where the backend fuses it.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [y, mean, variance] = runOp(BATCH_NORM_TRAINING, { x, gamma, beta }, { epsilon });
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/**
 * The gradient of batchNormTraining's y (`dy`) with respect to x, gamma and beta, from the saved x, mean, variance and
 * gamma: dBeta = sum(dy), dGamma = invStd * sum(dy * (x - mean)),
 * dx = gamma * invStd * (dy - dBeta / n - (x - mean) * invStd * dGamma / n), n values per channel.
 */
export function batchNormGradient(
  dy: tf.Tensor,
  saved: { x: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D; gamma: tf.Tensor1D },
  epsilon: number,
): { dx: tf.Tensor; dGamma: tf.Tensor1D; dBeta: tf.Tensor1D } {
  const [dx, dGamma, dBeta] = runOp(BATCH_NORM_GRADIENT, { dy, ...saved }, { epsilon });
  return { dx, dGamma: dGamma as tf.Tensor1D, dBeta: dBeta as tf.Tensor1D };
}
