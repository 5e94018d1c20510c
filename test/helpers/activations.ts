import * as tf from '@tensorflow/tfjs';
import '../../src/builders/activations';
import { activations } from '../../src/registry';
import type { ActivationOptions, ShareMode } from '../../src/builders/activations/types';

export const SHARE_MODES: ShareMode[] = ['network', 'layer', 'channel', 'element'];

/** Builds one registered activation for a test call site, with its defaults. */
export function buildActivation(type: string, options: Partial<ActivationOptions> = {}, site = `test.${type}`): tf.layers.Layer {
  return activations.build(type, { type, share: 'layer', ...options }, { site });
}

/** Runs the tfjs cpu backend quietly. */
export async function useCpuBackend(): Promise<void> {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
}

/** The layer applied to a concrete tensor (building its weights on first use). */
export function applyEager(layer: tf.layers.Layer, input: tf.Tensor): tf.Tensor {
  return layer.apply(input) as tf.Tensor;
}
