import { AcafError } from '../errors';
import { computeMetrics, evaluate, Evaluation } from './evaluate';
import type { EpochRecord, ProgressReporter } from './progress';
import type { RunRecord } from './run-record';
import type { TrainingSession } from './session';
import { trainStep } from './train-step';

/** The run stopped on request (SIGINT/SIGTERM) at an epoch boundary or mid-epoch; the epoch is replayed on resume. */
export class RunInterrupted extends AcafError {
  constructor(readonly epoch: number) {
    super(`interrupted during epoch ${epoch}`, 130);
  }
}

/** The loss became NaN or infinite. */
export class RunDiverged extends AcafError {}

/** Lets signal handlers and progress bars run between synchronous training steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Trains from the epoch after the record's last checkpoint to `train.epochs`, evaluating every `eval.every`. */
export async function train(session: TrainingSession, record: RunRecord, reporter: ProgressReporter, signal?: AbortSignal): Promise<void> {
  const { config } = session;
  for (let epoch = record.epochsCompleted + 1; epoch <= config.train.epochs; epoch++) {
    const started = performance.now();
    const lr = session.schedule(epoch - 1);
    const training = await trainEpoch(session, epoch, reporter, signal);
    const evaluated = epoch % config.eval.every === 0 || epoch === config.train.epochs;
    const evaluation = evaluated ? evaluate(session.model, session.data.testBatches(Math.floor(epoch / config.eval.every) - 1), session.data.classes, config.model.outputSoftmax) : undefined;
    const result: EpochRecord = { epoch, lr, ...training, ...testColumns(session, evaluation), seconds: (performance.now() - started) / 1000 };
    await record.completeEpoch(result, session.activationRows(), evaluation);
    reporter.epoch(result);
  }
}

/** One pass over the training batches, with the learning rate set from the schedule before every step. */
async function trainEpoch(session: TrainingSession, epoch: number, reporter: ProgressReporter, signal?: AbortSignal) {
  const { model, optimizer, schedule, data, config } = session;
  const settings = { numClasses: data.classes.length, labelSmoothing: config.train.labelSmoothing, weightDecay: config.train.weightDecay, outputSoftmax: config.model.outputSoftmax };
  const started = performance.now();
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  let step = 0;
  for (const batch of data.trainBatches(epoch)) {
    if (signal?.aborted) throw new RunInterrupted(epoch);
    const lr = schedule(epoch - 1 + step / data.stepsPerEpoch);
    optimizer.setLearningRate(lr);
    const result = trainStep(model, optimizer.optimizer, batch, settings);
    step++;
    if (!Number.isFinite(result.objective)) {
      throw new RunDiverged(`loss became ${result.objective} at epoch ${epoch}, step ${step} (lr ${lr.toPrecision(3)})`);
    }
    lossSum += result.loss * batch.size;
    correct += result.correct;
    seen += batch.size;
    const imagesPerSecond = seen / ((performance.now() - started) / 1000);
    reporter.step({ epoch, step, steps: data.stepsPerEpoch, loss: lossSum / seen, accuracy: correct / seen, imagesPerSecond });
    await yieldToEventLoop();
  }
  return { train_loss: lossSum / seen, train_accuracy: correct / seen };
}

function testColumns(session: TrainingSession, evaluation: Evaluation | undefined): Record<string, number | null> {
  const columns = session.metrics.flatMap((metric) => metric.columns);
  if (!evaluation) return Object.fromEntries(['test_loss', ...columns].map((column) => [column, null]));
  return { test_loss: evaluation.loss, ...computeMetrics(session.metrics, evaluation.batch) };
}
