import * as tf from '@tensorflow/tfjs';
import { activations } from '../registry';

export interface CurvePoint {
  z: number;
  value: number;
}

/**
 * f(z) of a registered activation with the given parameter values (e.g. a learned site's `{ a, b, c, d }`), sampled
 * at `points` evenly spaced z in `range`. Builds the plugin's own layer with those values as `init`, so the curve
 * is exactly what the network computed; `options` carries the run's other settings (constants such as a slope).
 */
export function activationCurve(
  type: string,
  parameters: Record<string, number>,
  options: Record<string, unknown> = {},
  range: [number, number] = [-5, 5],
  points = 101,
): CurvePoint[] {
  const zs = Array.from({ length: points }, (_, index) => range[0] + ((range[1] - range[0]) * index) / (points - 1));
  const layer = activations.build(type, { ...options, type, share: 'layer', init: parameters }, { site: `curve_${type}` });
  const output = tf.tidy(() => layer.apply(tf.tensor2d(zs, [points, 1])) as tf.Tensor);
  const values = output.dataSync();
  output.dispose();
  for (const weight of layer.weights) weight.dispose();
  return zs.map((z, index) => ({ z, value: values[index] }));
}
