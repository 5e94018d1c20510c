import { AcafError } from '../errors';
import type { EpochRecord, ProgressReporter } from './progress';
import type { TaskEvaluation } from '../tasks';
import type { RunWriter } from './run-writer';
import type { TrainingSession } from './session';

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

/** Whether epoch `epoch` ends with an evaluation: every `eval.every`-th epoch, and the last. */
export function isEvaluationEpoch(epoch: number, config: { eval: { every: number }; train: { epochs: number } }): boolean {
  return epoch % config.eval.every === 0 || epoch === config.train.epochs;
}

/** Trains from the epoch after the record's last checkpoint to `train.epochs`, evaluating every `eval.every`. */
export async function train(session: TrainingSession, record: RunWriter, reporter: ProgressReporter, signal?: AbortSignal): Promise<void> {
  const { config, task } = session;
  for (let epoch = record.epochsCompleted + 1; epoch <= config.train.epochs; epoch++) {
    const started = performance.now();
    const lr = session.schedule(epoch - 1);
    const training = await trainEpoch(session, epoch, reporter, signal);
    // Evaluations run at every `every`-th epoch and the last: floor((epoch - 1) / every) came before this one.
    let images = 0;
    const evaluation = isEvaluationEpoch(epoch, config)
      ? task.evaluate(Math.floor((epoch - 1) / config.eval.every), (batchImages) => reporter.evaluating(epoch, (images += batchImages)))
      : undefined;
    const result: EpochRecord = {
      epoch,
      lr,
      ...training,
      ...testColumns(session, evaluation),
      seconds: (performance.now() - started) / 1000,
    };
    await record.completeEpoch(result, session.activationRows(), evaluation);
    reporter.epoch(result);
  }
}

/** One pass over the training batches, with the learning rate set from the schedule before every step. */
async function trainEpoch(
  session: TrainingSession,
  epoch: number,
  reporter: ProgressReporter,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  const { task, optimizer, schedule } = session;
  const started = performance.now();
  const sums: Record<string, number> = Object.fromEntries(task.trainColumns.map((column) => [column, 0]));
  const last: Record<string, number> = {};
  const means = () => Object.fromEntries(task.trainColumns.map((column) => [column, last[column] ?? sums[column] / seen]));
  let seen = 0;
  let step = 0;
  for (const batch of task.trainBatches(epoch)) {
    if (signal?.aborted) throw new RunInterrupted(epoch);
    const lr = schedule(epoch - 1 + step / task.stepsPerEpoch);
    optimizer.setLearningRate(lr);
    const result = task.trainStep(batch, optimizer.optimizer);
    step++;
    if (!Number.isFinite(result.objective)) {
      throw new RunDiverged(`loss became ${result.objective} at epoch ${epoch}, step ${step} (lr ${lr.toPrecision(3)})`);
    }
    for (const [column, sum] of Object.entries(result.sums)) sums[column] += sum;
    Object.assign(last, result.last);
    seen += batch.size;
    reporter.step({
      epoch,
      step,
      steps: task.stepsPerEpoch,
      train: means(),
      batch: Object.fromEntries(Object.entries(result.sums).map(([column, sum]) => [column, sum / batch.size])),
      lr,
      imagesPerSecond: seen / ((performance.now() - started) / 1000),
    });
    await yieldToEventLoop();
  }
  return means();
}

function testColumns(session: TrainingSession, evaluation: TaskEvaluation | undefined): Record<string, number | null> {
  return Object.fromEntries(session.task.testColumns.map((column) => [column, evaluation?.row[column] ?? null]));
}
