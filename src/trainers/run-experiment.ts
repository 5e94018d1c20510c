import * as path from 'path';
import type { ExperimentConfig } from '../config';
import { AcafError } from '../errors';
import { runPaths } from '../run-directory';
import { prepareSession } from './prepare';
import type { EpochRecord, ProgressReporter } from './progress';
import { RunWriter } from './run-writer';
import type { TrainingSession } from './session';
import { createTensorboardWriter } from './tensorboard';
import { RunDiverged, RunInterrupted, train } from './trainer';

export interface RunOptions {
  reporter: ProgressReporter;
  /** A run directory to continue from its checkpoints/last (its config.yaml is `config`). */
  resume?: string;
  signal?: AbortSignal;
  cwd?: string;
}

/** Prepares, trains and records one experiment; returns the run directory. Failures end as one-line AcafErrors. */
export async function runExperiment(config: ExperimentConfig, options: RunOptions): Promise<string> {
  const session = await prepareSession(config, options.cwd);
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
    });
    const epochReporter = withTensorboard(session, record.dir, reporter);
    try {
      await train(session, record, epochReporter, options.signal);
    } catch (error) {
      throw stopped(record, error as Error);
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

/** Marks run.json and turns the reason the loop stopped into the one-line error the user sees. */
function stopped(record: RunWriter, error: Error): Error {
  const checkpoint = `the last checkpoint (epoch ${record.epochsCompleted}) is in ${runPaths(record.dir).checkpoint('last')}`;
  if (error instanceof RunInterrupted) {
    record.finish('interrupted', error.message);
    return new AcafError(`${error.message}; ${checkpoint}; resume with: acaf run --resume ${record.dir}`, 130);
  }
  record.finish('failed', error.message);
  if (error instanceof RunDiverged) return new AcafError(`${error.message}; ${checkpoint}`);
  return error;
}

/** With `logging.tensorboard`, also writes each epoch's scalars and activation parameters as TensorBoard scalars. */
function withTensorboard(session: TrainingSession, dir: string, reporter: ProgressReporter): ProgressReporter {
  if (!session.config.logging.tensorboard) return reporter;
  const writer = createTensorboardWriter(session.backend.name, path.join(dir, 'tensorboard'), (line) => reporter.warn(line));
  if (!writer) return reporter;
  return {
    ...reporter,
    epoch(record: EpochRecord) {
      const parameters = session
        .activationRows()
        .flatMap((row) => Object.entries(row.parameters).map(([p, s]) => [`activations/${row.site}/${p}`, s.mean]));
      writer.scalars(record.epoch ?? 0, { ...record, ...Object.fromEntries(parameters) });
      reporter.epoch(record);
    },
    finish(summary) {
      writer.close();
      reporter.finish(summary);
    },
  };
}
