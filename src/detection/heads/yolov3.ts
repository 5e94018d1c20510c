import * as tf from '@tensorflow/tfjs';
import { heads } from '../../registry';
import { anchorTable, AnchorSize, defaultAnchors } from './anchors';
import { decodeBoxes } from './box-tensors';
import { perClassNms } from './nms';
import type { DetectionHead, HeadBuildContext, HeadOptions } from './types';
import { yoloLoss } from './yolo-loss';
import { encodeTargets } from './yolo-targets';

type Tensor = tf.SymbolicTensor;

interface Yolov3Options extends HeadOptions {
  anchors?: AnchorSize[][];
  width?: number;
  topDown?: boolean;
  ignoreThreshold?: number;
  assignThreshold?: number;
  lossWeights?: { box?: number; objectness?: number; classification?: number };
  scoreThreshold?: number;
  nmsIouThreshold?: number;
  maxDetections?: number;
}

/** Objectness starts at this probability (RetinaNet's prior), so the many empty cells do not swamp the first steps. */
const OBJECTNESS_PRIOR = 0.01;

const anchorSchema = { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 2, maxItems: 2 };

/** conv<n> -> bn<n> -> the configured activation at call site `<prefix>.act<n>`. */
function convUnit(
  x: Tensor,
  prefix: string,
  n: number,
  filters: number,
  kernel: number,
  activation: HeadBuildContext['activation'],
): Tensor {
  const conv = tf.layers.conv2d({
    name: `${prefix}.conv${n}`,
    filters,
    kernelSize: kernel,
    padding: 'same',
    useBias: false,
    kernelInitializer: 'heNormal',
  });
  const normed = tf.layers.batchNormalization({ name: `${prefix}.bn${n}`, momentum: 0.9 }).apply(conv.apply(x)) as Tensor;
  return activation(`${prefix}.act${n}`).apply(normed) as Tensor;
}

/** Sets the objectness biases of a prediction conv to the prior, so training starts from "almost nothing here". */
function setObjectnessPrior(predict: tf.layers.Layer, anchorCount: number, perAnchor: number): void {
  const [kernel, bias] = predict.getWeights();
  const values = bias.arraySync() as number[];
  for (let a = 0; a < anchorCount; a++) values[a * perAnchor + 4] = Math.log(OBJECTNESS_PRIOR / (1 - OBJECTNESS_PRIOR));
  const prior = tf.tensor1d(values);
  predict.setWeights([kernel, prior]);
  prior.dispose();
}

/** `p<k>` for a level of stride about 2^k; made unique when odd backbones give strides that round alike. */
function levelNames(strides: number[]): string[] {
  const names: string[] = [];
  let previous = -Infinity;
  for (const stride of strides) {
    previous = Math.max(previous + 1, Math.round(Math.log2(stride)));
    names.push(`p${previous}`);
  }
  return names;
}

/**
 * The multi-scale YOLOv3 neck and head, coarsest level first: per level a 1x1 lateral conv; when `topDown`,
 * the coarser level's tower upsampled and concatenated (where the grid sizes differ by a whole factor); two 3x3
 * convs; and a 1x1 conv predicting (tx, ty, tw, th, objectness, classes) for each anchor.
 */
function buildTowers(context: HeadBuildContext, options: Yolov3Options, anchors: AnchorSize[][], names: string[]): Tensor[] {
  const { features, numClasses, activation } = context;
  const channels = options.width ?? 64;
  const outputs: Tensor[] = [];
  let coarser: Tensor | undefined;
  for (let level = features.length - 1; level >= 0; level--) {
    const prefix = `head.${names[level]}`;
    const [height, width] = features[level].shape.slice(1, 3) as number[];
    let x = convUnit(features[level], prefix, 1, channels, 1, activation);
    if ((options.topDown ?? true) && coarser) {
      const [factorY, factorX] = [height / coarser.shape[1]!, width / coarser.shape[2]!];
      if (Number.isInteger(factorY) && Number.isInteger(factorX)) {
        const upsampled = tf.layers.upSampling2d({ name: `${prefix}.upsample`, size: [factorY, factorX] }).apply(coarser) as Tensor;
        x = tf.layers.concatenate({ name: `${prefix}.concat` }).apply([x, upsampled]) as Tensor;
      }
    }
    x = convUnit(x, prefix, 2, channels, 3, activation);
    x = convUnit(x, prefix, 3, channels, 3, activation);
    coarser = x;
    const perAnchor = 5 + numClasses;
    const predict = tf.layers.conv2d({ name: `${prefix}.predict`, filters: anchors[level].length * perAnchor, kernelSize: 1 });
    const raw = predict.apply(x) as Tensor;
    setObjectnessPrior(predict, anchors[level].length, perAnchor);
    outputs.unshift(
      tf.layers.reshape({ name: `${prefix}.flat`, targetShape: [height * width * anchors[level].length, perAnchor] }).apply(raw) as Tensor,
    );
  }
  return outputs;
}

heads.register<Yolov3Options>({
  name: 'yolov3',
  description: 'YOLOv3-style single-stage anchor head: multi-scale, top-down path, GIoU box loss, objectness and per-class BCE',
  options: {
    anchors: {
      type: 'array',
      items: { type: 'array', items: anchorSchema, minItems: 1 },
      minItems: 1,
      description:
        "per feature level (finest first) a list of anchor [width, height] in input pixels; default: YOLOv3's COCO anchors, each group scaled to its level's stride as YOLOv3's are to strides 8/16/32",
    },
    width: { type: 'integer', minimum: 1, default: 64, description: 'channels of each level tower' },
    topDown: { type: 'boolean', default: true, description: "feed each level the upsampled tower of the coarser level (YOLOv3's neck)" },
    ignoreThreshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description: 'unassigned predictions with IoU above this to a ground-truth box are left out of the objectness loss',
    },
    assignThreshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 1,
      description:
        'besides its best-fitting anchor, a box is assigned to every anchor whose shape IoU with it is above this (YOLOv4 and later); 1: the best anchor only (YOLOv3)',
    },
    lossWeights: {
      type: 'object',
      additionalProperties: false,
      properties: {
        box: { type: 'number', minimum: 0, default: 1 },
        objectness: { type: 'number', minimum: 0, default: 1 },
        classification: { type: 'number', minimum: 0, default: 1 },
      },
      default: {},
      description: 'weights of the GIoU box, objectness and classification terms',
    },
    scoreThreshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.01,
      description: 'detections scoring objectness * class probability at or below this are dropped',
    },
    nmsIouThreshold: { type: 'number', minimum: 0, maximum: 1, default: 0.45, description: 'per-class non-maximum suppression IoU' },
    maxDetections: { type: 'integer', minimum: 1, default: 100, description: 'most detections kept per image' },
  },
  build(options, context): DetectionHead {
    const { features, inputSize, numClasses } = context;
    const gridSizes = features.map((feature) => feature.shape.slice(1, 3) as [number, number]);
    const strides = gridSizes.map(([height, width]) => [inputSize[0] / height, inputSize[1] / width] as [number, number]);
    const anchors = options.anchors ?? defaultAnchors(strides);
    const table = anchorTable(gridSizes, anchors, inputSize);
    const names = levelNames(strides.map(([strideY]) => strideY));
    const levels = buildTowers(context, options, anchors, names);
    const output = levels.length === 1 ? levels[0] : (tf.layers.concatenate({ name: 'head.predictions', axis: 1 }).apply(levels) as Tensor);
    const lossSettings = {
      ignoreThreshold: options.ignoreThreshold ?? 0.5,
      weights: {
        box: options.lossWeights?.box ?? 1,
        objectness: options.lossWeights?.objectness ?? 1,
        classification: options.lossWeights?.classification ?? 1,
      },
    };
    const nmsSettings = {
      scoreThreshold: options.scoreThreshold ?? 0.01,
      iouThreshold: options.nmsIouThreshold ?? 0.45,
      maxDetections: options.maxDetections ?? 100,
    };
    return {
      output,
      levels: table.levels.map((level, k) => ({
        name: names[k],
        grid: [level.height, level.width],
        stride: [level.strideY, level.strideX],
        anchors: level.anchors,
        predictions: level.height * level.width * level.anchors.length,
        valuesPerPrediction: 5 + numClasses,
      })),
      loss: (predictions, truth) =>
        yoloLoss(predictions, encodeTargets(truth, table, numClasses, options.assignThreshold ?? 1), table, lossSettings),
      decode(predictions) {
        const [boxes, scores] = tf.tidy(() => {
          const [height, width] = inputSize;
          const [x1, y1, x2, y2] = tf.unstack(decodeBoxes(predictions, table), 2);
          const inside = tf.stack(
            [x1.clipByValue(0, width), y1.clipByValue(0, height), x2.clipByValue(0, width), y2.clipByValue(0, height)],
            2,
          );
          const objectness = tf.sigmoid(tf.slice(predictions, [0, 0, 4], [-1, -1, 1]));
          return [inside, tf.mul(objectness, tf.sigmoid(tf.slice(predictions, [0, 0, 5], [-1, -1, numClasses])))];
        });
        const [boxData, scoreData] = [boxes.dataSync() as Float32Array, scores.dataSync() as Float32Array];
        tf.dispose([boxes, scores]);
        return Array.from({ length: predictions.shape[0] }, (_, image) =>
          perClassNms(
            boxData.subarray(image * table.count * 4, (image + 1) * table.count * 4),
            scoreData.subarray(image * table.count * numClasses, (image + 1) * table.count * numClasses),
            numClasses,
            nmsSettings,
          ),
        );
      },
    };
  },
});
