import type { DetectionExperimentConfig } from '../../config/types';
import { AcafError } from '../../errors';
import { detectionDatasets } from '../../registry';
import { checkTrainingSplit, countingBatches, type Task } from '../task';
import { buildDetector } from '../../detection/model/detector';
import { DetectionBatch, LETTERBOX_FILL, testBatches, trainBatches } from './batches';
import { DETECTION_COLUMNS, detect, scoreDetections } from './evaluate';
import { detectionTrainStep } from './train-step';

const PER_CLASS_LOG = 'per_class_ap.csv';

/**
 * Object detection: the dataset plugin's splits are loaded now; the returned builder makes the detector (network +
 * head). Steps log the head's loss terms; an evaluation gives VOC and COCO AP (metrics.csv), per-class AP
 * (per_class_ap.csv, one row per evaluated epoch and class) and every detection (detections.json, COCO results
 * format). checkpoints/best follows the VOC mAP@0.5.
 */
export async function loadDetectionTask(
  config: DetectionExperimentConfig,
  context: { cwd: string; seed: number },
): Promise<() => Task<DetectionBatch>> {
  const { train, test } = await detectionDatasets.get(config.data.type, 'data.type').build(config.data, context);
  const classes = train.dataset.classes;
  if (test.dataset.classes.join('\n') !== classes.join('\n')) {
    throw new AcafError(
      `data: the train and test splits have different classes (${classes.join(', ')} vs ${test.dataset.classes.join(', ')})`,
    );
  }
  const { inputSize, augment } = config.data;
  const { batchSize, weightDecay, accumulate } = config.train;
  checkTrainingSplit(train.samples.length, config.data);
  const stepsPerEpoch = Math.floor(train.samples.length / batchSize);
  if (stepsPerEpoch === 0) throw new AcafError(`train.batchSize: ${batchSize} is more than the ${train.samples.length} training images`);
  return () => {
    const { model, head } = buildDetector(config.model, { inputShape: [inputSize, inputSize, 3], numClasses: classes.length });
    return {
      model,
      trainImages: train.samples.length,
      stepsPerEpoch,
      trainColumns: ['train_loss', 'train_box_loss', 'train_objectness_loss', 'train_class_loss'],
      testColumns: [...DETECTION_COLUMNS],
      progressColumns: {
        train: [{ column: 'train_loss', label: 'loss' }],
        test: [
          { column: 'map50', label: 'mAP@0.5' },
          { column: 'coco_ap', label: 'COCO AP' },
        ],
      },
      evaluationImages: test.samples.length,
      bestMetric: { column: 'map50', label: 'mAP@0.5' },
      logs: [{ file: PER_CLASS_LOG, columns: ['class', 'ap50', 'coco_ap'] }],
      trainBatches: (epoch) => trainBatches(train, batchSize, config.seed, epoch, { ...augment, size: inputSize, fill: LETTERBOX_FILL }),
      trainStep(batch, optimizer) {
        const step = detectionTrainStep(model, head, optimizer, batch, weightDecay, accumulate);
        const sums = {
          train_loss: step.total,
          train_box_loss: step.box,
          train_objectness_loss: step.objectness,
          train_class_loss: step.classification,
        };
        return {
          objective: step.objective,
          sums: Object.fromEntries(Object.entries(sums).map(([column, mean]) => [column, mean * batch.size])),
        };
      },
      evaluate(_index, onBatch) {
        const batches = countingBatches(testBatches(test, config.eval.batchSize, inputSize), onBatch);
        const evaluation = scoreDetections(test.dataset, detect(model, head, batches));
        return {
          row: evaluation.row,
          logRows: { [PER_CLASS_LOG]: evaluation.perClass.map(({ name, ap50, coco_ap }) => ({ class: name, ap50, coco_ap })) },
          files: { 'detections.json': JSON.stringify(evaluation.results) },
        };
      },
    };
  };
}
