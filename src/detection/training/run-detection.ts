import * as path from 'path';
import type { BackendSelection } from '../../backends';
import type { OptimizerOptions } from '../../builders/optimizers/types';
import { buildSchedule } from '../../builders/schedules/warmup';
import type { ScheduleOptions } from '../../builders/schedules/types';
import { AcafError } from '../../errors';
import { optimizers } from '../../registry';
import { writeFileAtomic, writeJsonAtomic } from '../../trainers/atomic';
import { CheckpointState, loadCheckpoint, saveCheckpoint } from '../../trainers/checkpoint';
import { CsvLog } from '../../trainers/csv-log';
import { environment } from '../../trainers/env';
import { SeededMathRandom } from '../../trainers/random';
import { createRunDirectory, runFiles } from '../../trainers/run-dir';
import type { DetectionAugmentOptions } from '../augment';
import { writeCocoResults } from '../coco-results';
import { buildDetector, DetectorConfig } from '../model/detector';
import type { DetectionDataset } from '../types';
import { LETTERBOX_FILL, loadSplit, testBatches, trainBatches } from './batches';
import { DETECTION_COLUMNS, detect, scoreDetections } from './evaluate';
import { detectionTrainStep } from './train-step';

/** Everything one detection run is made of; `configYaml` is written to the run directory as config.yaml. */
export interface DetectionRunSpec {
  name: string;
  seed: number;
  outputDir: string;
  backend: BackendSelection;
  configYaml: string;
  model: DetectorConfig;
  /** Side of the square (letterboxed) network input. */
  inputSize: number;
  train: {
    epochs: number;
    batchSize: number;
    optimizer: OptimizerOptions;
    schedule: ScheduleOptions;
    augment: Omit<DetectionAugmentOptions, 'size' | 'fill'>;
  };
  evalEvery: number;
  evalBatchSize: number;
  data: { train: DetectionDataset; test: DetectionDataset };
  /** A run directory to continue from its checkpoints/last. */
  resume?: string;
  log?: (line: string) => void;
}

/** checkpoints/best follows the VOC mAP@0.5. */
const BEST_METRIC = 'map50';

const METRIC_COLUMNS = ['epoch', 'lr', 'train_loss', 'train_box_loss', 'train_objectness_loss', 'train_class_loss', ...DETECTION_COLUMNS, 'seconds'];

/**
 * Trains a detector: per epoch the augmented train batches, then (every `evalEvery` epochs and at the end) the
 * test split, logged to metrics.csv (VOC and COCO AP), per_class_ap.csv (one row per epoch and class) and
 * detections.json (the latest evaluation, COCO results format); checkpoints/last every epoch and checkpoints/best
 * on a better mAP@0.5. Returns the run directory.
 */
export async function runDetection(spec: DetectionRunSpec): Promise<string> {
  const log = spec.log ?? (() => undefined);
  const random = new SeededMathRandom(spec.seed);
  const { classes } = spec.data.train;
  const { model, head } = buildDetector(spec.model, { inputShape: [spec.inputSize, spec.inputSize, 3], numClasses: classes.length });
  const optimizer = optimizers.get(spec.train.optimizer.type, 'train.optimizer.type').build(spec.train.optimizer, undefined);
  try {
    const [train, test] = [await loadSplit(spec.data.train), await loadSplit(spec.data.test)];
    const stepsPerEpoch = Math.floor(train.samples.length / spec.train.batchSize);
    if (stepsPerEpoch === 0) throw new AcafError(`train.batchSize: ${spec.train.batchSize} is more than the ${train.samples.length} training images`);
    const schedule = buildSchedule(spec.train.schedule, { baseLr: spec.train.optimizer.lr, epochs: spec.train.epochs, stepsPerEpoch });

    const dir = spec.resume ?? createRunDirectory(spec.outputDir, spec.name);
    const files = runFiles(dir);
    const metricsLog = new CsvLog(files.metrics, METRIC_COLUMNS);
    const perClassLog = new CsvLog(files.table('per_class_ap.csv'), ['epoch', 'class', 'ap50', 'coco_ap']);
    let state: CheckpointState;
    if (spec.resume) {
      state = await loadCheckpoint(files.checkpoint('last'), model, optimizer.optimizer);
      random.setState(state.random);
      metricsLog.resumeAt(state.epoch);
      perClassLog.resumeAt(state.epoch);
    } else {
      state = { epoch: 0, best: null, random: random.state() };
      writeFileAtomic(files.config, spec.configYaml);
      writeJsonAtomic(files.env, environment(spec.backend, spec.seed));
      metricsLog.append([]);
      perClassLog.append([]);
      await saveCheckpoint(files.checkpoint('last'), model, optimizer.optimizer, state);
    }
    const writeRun = (status: string, final: Record<string, number> | null) =>
      writeJsonAtomic(files.run, { status, task: 'detection', epochsCompleted: state.epoch, epochs: spec.train.epochs, bestEpoch: state.best?.epoch ?? null, best: state.best, final, seed: spec.seed, updatedAt: new Date().toISOString() });
    writeRun('running', null);

    let final: Record<string, number> | null = null;
    for (let epoch = state.epoch + 1; epoch <= spec.train.epochs; epoch++) {
      const started = performance.now();
      const sums = { total: 0, box: 0, objectness: 0, classification: 0 };
      let step = 0;
      for (const batch of trainBatches(train, spec.train.batchSize, spec.seed, epoch, { ...spec.train.augment, size: spec.inputSize, fill: LETTERBOX_FILL })) {
        const lr = schedule(epoch - 1 + step / stepsPerEpoch);
        optimizer.setLearningRate(lr);
        const result = detectionTrainStep(model, head, optimizer.optimizer, batch);
        if (!Number.isFinite(result.total)) throw new AcafError(`${dir}: detection loss became ${result.total} at epoch ${epoch}, step ${step + 1} (lr ${lr.toPrecision(3)})`);
        for (const key of Object.keys(sums) as (keyof typeof sums)[]) sums[key] += result[key];
        step++;
      }
      const evaluated = epoch % spec.evalEvery === 0 || epoch === spec.train.epochs;
      const evaluation = evaluated ? scoreDetections(test.dataset, detect(model, head, testBatches(test, spec.evalBatchSize, spec.inputSize))) : undefined;
      const row = {
        epoch,
        lr: schedule(epoch - 1),
        train_loss: sums.total / step,
        train_box_loss: sums.box / step,
        train_objectness_loss: sums.objectness / step,
        train_class_loss: sums.classification / step,
        ...(evaluation?.row ?? {}),
        seconds: (performance.now() - started) / 1000,
      };
      metricsLog.append([row]);
      const value = evaluation?.row[BEST_METRIC];
      const improved = value !== undefined && Number.isFinite(value) && (state.best === null || value > state.best.value);
      if (improved) state.best = { metric: BEST_METRIC, value: value!, epoch };
      state = { ...state, epoch, random: random.state() };
      if (evaluation) {
        perClassLog.append(evaluation.perClass.map((entry) => ({ epoch, class: entry.name, ap50: entry.ap50, coco_ap: entry.coco_ap })));
        writeCocoResults(path.join(dir, 'detections.json'), evaluation.results);
      }
      await saveCheckpoint(files.checkpoint('last'), model, optimizer.optimizer, state);
      if (improved) await saveCheckpoint(files.checkpoint('best'), model, optimizer.optimizer, state);
      final = row;
      writeRun('running', final);
      log(`epoch ${epoch}/${spec.train.epochs}  loss ${row.train_loss.toFixed(4)}${evaluation ? `  mAP@0.5 ${evaluation.row.map50.toFixed(4)}  COCO AP ${evaluation.row.coco_ap.toFixed(4)}` : ''}  ${row.seconds.toFixed(1)}s`);
    }
    writeRun('complete', final);
    return dir;
  } finally {
    random.restore();
    optimizer.optimizer.dispose();
    model.dispose();
  }
}
