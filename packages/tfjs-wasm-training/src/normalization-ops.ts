import * as tf from '@tensorflow/tfjs';

/**
 * The passes of batch normalisation in training over every axis but the last (channels), as ops with kernel names of
 * their own. A backend may register a fused kernel under these names (this package's wasm kernels do: one pass over the
 * activation instead of a chain of tfjs ops and temporaries); elsewhere they run as the tfjs ops below, which are
 * also registered as the cpu backend's kernels: the oracle the fused kernels are tested against.
 */
export const CHANNEL_MOMENTS = 'AcafChannelMoments';
export const NORMALIZATION_GRADIENT_SUMS = 'AcafNormalizationGradientSums';
export const NORMALIZATION_INPUT_GRADIENT = 'AcafNormalizationInputGradient';

const leadingAxes = (x: tf.Tensor) => x.shape.slice(0, -1).map((_, axis) => axis);

/** Each op as tfjs ops, from its named inputs to its outputs. */
export const COMPOSED_NORMALIZATION_OPS: Record<string, (inputs: tf.NamedTensorMap) => tf.Tensor[]> = {
  // mean and (biased) variance per channel
  [CHANNEL_MOMENTS]: ({ x }) => {
    const mean = tf.mean(x, leadingAxes(x));
    return [mean, tf.mean(tf.squaredDifference(x, mean), leadingAxes(x))];
  },
  // sum(dy) and sum(dy * (x - mean)) per channel
  [NORMALIZATION_GRADIENT_SUMS]: ({ dy, x, mean }) => [tf.sum(dy, leadingAxes(dy)), tf.sum(tf.mul(dy, tf.sub(x, mean)), leadingAxes(dy))],
  // dy * dyScale + (x - mean) * centeredScale + shift, with per-channel dyScale, mean, centeredScale and shift
  [NORMALIZATION_INPUT_GRADIENT]: ({ dy, x, dyScale, mean, centeredScale, shift }) => [
    tf.add(tf.add(tf.mul(dy, dyScale), tf.mul(tf.sub(x, mean), centeredScale)), shift),
  ],
};

for (const [kernelName, compose] of Object.entries(COMPOSED_NORMALIZATION_OPS)) {
  if (!tf.getKernel(kernelName, 'cpu')) {
    tf.registerKernel({
      kernelName,
      backendName: 'cpu',
      kernelFunc: ({ inputs }) => tf.tidy(() => compose(inputs as tf.NamedTensorMap)) as unknown as tf.TensorInfo[],
    });
  }
}

function run(kernelName: string, inputs: tf.NamedTensorMap): tf.Tensor[] {
  if (!tf.getKernel(kernelName, tf.getBackend())) return tf.tidy(() => COMPOSED_NORMALIZATION_OPS[kernelName](inputs));
  const outputs = tf.engine().runKernel(kernelName, inputs, {}) as tf.Tensor | tf.Tensor[];
  return Array.isArray(outputs) ? outputs : [outputs];
}

export function channelMoments(x: tf.Tensor): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [mean, variance] = run(CHANNEL_MOMENTS, { x }) as tf.Tensor1D[];
  return { mean, variance };
}

/** [sum(dy), sum(dy * (x - mean))] per channel. */
export function normalizationGradientSums(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor1D): [tf.Tensor1D, tf.Tensor1D] {
  const [dySums, centeredSums] = run(NORMALIZATION_GRADIENT_SUMS, { dy, x, mean }) as tf.Tensor1D[];
  return [dySums, centeredSums];
}

/** dy * dyScale + (x - mean) * centeredScale + shift, with per-channel vectors. */
export function normalizationInputGradient(
  dy: tf.Tensor,
  x: tf.Tensor,
  vectors: { dyScale: tf.Tensor1D; mean: tf.Tensor1D; centeredScale: tf.Tensor1D; shift: tf.Tensor1D },
): tf.Tensor {
  return run(NORMALIZATION_INPUT_GRADIENT, { dy, x, ...vectors })[0];
}
