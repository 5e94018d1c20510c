import { textTable } from '../../cli/text-table';
import type { HeadLevel } from '../heads/types';
import type { Detector } from './detector';

/** What `acaf summary` shows of a detector besides its layer table: the levels the head is built on and predicts at. */
export interface DetectorSummary {
  inputShape: number[];
  numClasses: number;
  /** Backbone feature maps, finest first: the layer, its output shape [height, width, channels] and stride [y, x]. */
  backbone: Detector['features'];
  head: { type: string; levels: HeadLevel[]; predictionsPerImage: number };
  params: { backbone: number; head: number };
}

export function summarizeDetector(detector: Detector, headType: string, inputShape: number[], numClasses: number): DetectorSummary {
  const total = detector.model.countParams();
  return {
    inputShape,
    numClasses,
    backbone: detector.features,
    head: {
      type: headType,
      levels: detector.head.levels,
      predictionsPerImage: detector.head.levels.reduce((sum, level) => sum + level.predictions, 0),
    },
    params: { backbone: detector.backboneParams, head: total - detector.backboneParams },
  };
}

const stride = ([y, x]: [number, number]) => (y === x ? `${+y.toFixed(2)}` : `${+y.toFixed(2)}x${+x.toFixed(2)}`);
const count = (value: number) => value.toLocaleString('en-US');

export function formatDetectorSummary(summary: DetectorSummary): string {
  const backboneRows = summary.backbone.map((level, k) => [String(k + 1), level.layer, stride(level.stride), level.shape.join('x')]);
  const headRows = summary.head.levels.map((level) => [
    level.name,
    level.grid.join('x'),
    stride(level.stride),
    level.anchors.map(([w, h]) => `${+w.toFixed(1)}x${+h.toFixed(1)}`).join(' '),
    count(level.predictions),
    String(level.valuesPerPrediction),
  ]);
  return [
    `detector: input ${summary.inputShape.join('x')}, ${summary.numClasses} classes, head ${summary.head.type}`,
    '',
    'backbone levels (finest first):',
    textTable(['level', 'layer', 'stride', 'shape'], backboneRows, { rightAligned: [2] }),
    '',
    'head outputs:',
    textTable(['level', 'grid', 'stride', 'anchors (w x h, pixels)', 'predictions', 'values each'], headRows, { rightAligned: [2, 4, 5] }),
    `predictions per image: ${count(summary.head.predictionsPerImage)}`,
    '',
    `backbone params: ${count(summary.params.backbone)}`,
    `head params:     ${count(summary.params.head)}`,
  ].join('\n');
}
