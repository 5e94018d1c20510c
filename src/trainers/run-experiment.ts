import { TensorboardLog } from '../logging/tensorboard/training-log';
import type { ExperimentConfig } from '../config';
import { AcafError } from '../errors';
import { runPaths } from '../run-directory';
import { prepareSession } from './prepare';
import { describeWarmStart } from './warm-start';
import type { EpochRecord, ProgressReporter } from './progress';
import { RunWriter } from './run-writer';
import type { TrainingSession } from './session';
import { isEvaluationEpoch, RunDiverged, RunInterrupted, train } from './trainer';

export interface RunOptions {
  reporter: ProgressReporter;
  /** A run directory to continue from its checkpoints/last (its config.yaml is `config`). */
  resume?: string;
  signal?: AbortSignal;
  cwd?: string;
  /** The config's file, for errors about the config as a whole (default: the run's name). */
  configFile?: string;
}

/** Prepares, trains and records one experiment; returns the run directory. Failures end as one-line AcafErrors. */
export async function runExperiment(config: ExperimentConfig, options: RunOptions): Promise<string> {
  const session = await prepareSession(config, options.cwd, options.configFile);
  try {
    const record = options.resume ? await RunWriter.resume(options.resume, session) : await RunWriter.create(session);
    const { reporter } = options;
    reporter.start({
      ...session.backend,
      backend: session.backend.name,
      runDir: record.dir,
      epochs: config.train.epochs,
      firstEpoch: record.epochsCompleted + 1,
      stepsPerEpoch: session.task.stepsPerEpoch,
      evaluations: epochsToRun(record.epochsCompleted + 1, config).filter((epoch) => isEvaluationEpoch(epoch, config)).length,
      evaluationImages: session.task.evaluationImages,
      columns: session.task.progressColumns,
      notes: session.warmStart && !options.resume ? [describeWarmStart(session.warmStart)] : [],
    });
    if (session.backend.notice) reporter.warn(session.backend.notice);
    warnOfLargeBatches(session, reporter);
    const tensorboard = openTensorboard(session, record, reporter);
    try {
      await train(session, record, tensorboard?.reporter ?? reporter, options.signal);
    } catch (error) {
      throw stopped(record, error as Error);
    } finally {
      await tensorboard?.log.close();
    }
    record.finish('complete');
    reporter.finish(record.summary());
    return record.dir;
  } finally {
    session.random.restore();
    session.optimizer.optimizer.dispose();
    session.task.model.dispose();
  }
}

/** A batch larger than the training split is allowed (one short batch per epoch) but rarely meant. */
function warnOfLargeBatches({ config, task }: TrainingSession, reporter: ProgressReporter): void {
  const { batchSize } = config.train;
  if (batchSize <= task.trainImages) return;
  const steps = `${task.stepsPerEpoch} step${task.stepsPerEpoch === 1 ? '' : 's'}`;
  reporter.warn(`train.batchSize ${batchSize} is more than the ${task.trainImages} training images; an epoch has ${steps}`);
}

function epochsToRun(first: number, config: ExperimentConfig): number[] {
  return Array.from({ length: Math.max(0, config.train.epochs - first + 1) }, (_, i) => first + i);
}

/** Marks run.json and turns the reason the loop stopped into the one-line error the user sees. */
function stopped(record: RunWriter, error: Error): Error {
  const { step } = record.resumePoint;
  const reached =
    step > 0
      ? `epoch ${record.epochsCompleted}, then step ${step} of epoch ${record.epochsCompleted + 1}`
      : `epoch ${record.epochsCompleted}`;
  const checkpoint = `the last checkpoint (${reached}) is in ${runPaths(record.dir).checkpoint('last')}`;
  if (error instanceof RunInterrupted) {
    record.finish('interrupted', error.message);
    return new AcafError(`${error.message}; ${checkpoint}; resume with: acaf run --resume ${record.dir}`, 130);
  }
  record.finish('failed', error.message);
  if (error instanceof RunDiverged) return new AcafError(`${error.message}; ${checkpoint}`);
  return error;
}

/** With `logging.tensorboard`, a TensorBoard log in `<run>/tensorboard/` fed by the progress the trainer reports. */
function openTensorboard(
  session: TrainingSession,
  record: RunWriter,
  reporter: ProgressReporter,
): { log: TensorboardLog; reporter: ProgressReporter } | undefined {
  if (!session.config.logging.tensorboard) return undefined;
  const log = new TensorboardLog(runPaths(record.dir).tensorboard, session.task.model, (line) => reporter.warn(line));
  if (record.epochsCompleted === 0) log.parameters(0);
  const stepsPerEpoch = session.task.stepsPerEpoch;
  return {
    log,
    reporter: {
      ...reporter,
      step(progress) {
        log.batch((progress.epoch - 1) * stepsPerEpoch + progress.step, progress.lr, progress.batch);
        reporter.step(progress);
      },
      epoch(record: EpochRecord) {
        log.epoch(record.epoch ?? 0, record);
        reporter.epoch(record);
      },
    },
  };
}
