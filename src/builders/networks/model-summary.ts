import type * as tf from '@tensorflow/tfjs';

export interface LayerSummary {
  name: string;
  type: string;
  /** Output shape with the batch dimension as null; one shape per output for multi-output layers. */
  outputShape: (number | null)[] | (number | null)[][];
  params: number;
}

/** What `acaf summary --json` prints. */
export interface ModelSummary {
  params: number;
  /** Weights the optimizer updates; batch-norm moving statistics are counted in `params` only. */
  trainableParams: number;
  layers: LayerSummary[];
}

const size = (weight: tf.LayerVariable) => weight.shape.reduce((product: number, length) => product * (length ?? 1), 1);

/** Layer table and parameter totals of a built model. */
export function summarizeModel(model: tf.LayersModel): ModelSummary {
  return {
    params: model.countParams(),
    trainableParams: model.trainableWeights.reduce((sum, weight) => sum + size(weight), 0),
    layers: model.layers.map((layer) => ({
      name: layer.name,
      type: layer.getClassName(),
      outputShape: layer.outputShape as LayerSummary['outputShape'],
      params: layer.countParams(),
    })),
  };
}
