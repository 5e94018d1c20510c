import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import {
  activationsLog,
  ActivationRow,
  CheckpointState,
  createRunDirectory,
  CsvLog,
  loadCheckpoint,
  metricsLog,
  readRunJson,
  runPaths,
  RunStatus,
  saveCheckpoint,
  writeRunConfig,
  writeRunJson,
} from '../run-directory';
import type { TaskEvaluation } from '../tasks/task';
import { environment } from './env';
import type { EpochRecord } from './progress';
import type { TrainingSession } from './session';

/** Writes everything a run leaves in its directory: config, env, run.json, CSV logs, checkpoints, tables. */
export class RunWriter {
  private readonly files;
  private readonly metricsLog: CsvLog;
  /** The task's own per-epoch logs (per_class_ap.csv...), by file name. */
  private readonly taskLogs: Map<string, CsvLog>;
  private readonly activations;
  private state: CheckpointState;
  private final: EpochRecord | null = null;
  private readonly startedAt: string;

  private constructor(
    readonly dir: string,
    private readonly session: TrainingSession,
    state: CheckpointState,
    startedAt: string,
  ) {
    this.files = runPaths(dir);
    this.state = state;
    this.startedAt = startedAt;
    const { task } = session;
    this.metricsLog = metricsLog(this.files.metrics, task.trainColumns, task.testColumns);
    this.taskLogs = new Map(task.logs.map((log) => [log.file, new CsvLog(this.files.table(log.file), ['epoch', ...log.columns])]));
    this.activations = activationsLog(this.files.activations, session.activationRows());
  }

  get epochsCompleted(): number {
    return this.state.epoch;
  }

  /** A new run directory with config, env, the initial activation parameters and an epoch-0 checkpoint. */
  static async create(session: TrainingSession): Promise<RunWriter> {
    const dir = createRunDirectory(session.config.output.dir, session.config.name);
    const record = new RunWriter(dir, session, { epoch: 0, best: null, random: session.random.state() }, new Date().toISOString());
    writeRunConfig(dir, session.config);
    const warmStart = session.warmStart ? { warmStart: session.warmStart } : {};
    writeJsonAtomic(record.files.env, { ...environment(session.backend, session.config.seed), ...warmStart });
    for (const log of [record.metricsLog, ...record.taskLogs.values()]) log.append([]);
    record.activations.append(0, session.activationRows());
    await saveCheckpoint(record.files.checkpoint('last'), session.task.model, session.optimizer.optimizer, record.state);
    record.writeRunJson('running');
    return record;
  }

  /** Continues `dir` from checkpoints/last: weights, optimizer and random state restored, later log rows dropped. */
  static async resume(dir: string, session: TrainingSession): Promise<RunWriter> {
    const state = await loadCheckpoint(runPaths(dir).checkpoint('last'), session.task.model, session.optimizer.optimizer);
    session.random.setState(state.random);
    const previous = readRunJson(dir);
    const record = new RunWriter(dir, session, state, previous.startedAt);
    if (previous.final && (previous.final.epoch ?? 0) <= state.epoch) record.final = previous.final;
    for (const log of [record.metricsLog, record.activations.log, ...record.taskLogs.values()]) log.resumeAt(state.epoch);
    record.writeRunJson('running');
    return record;
  }

  /** Logs a finished epoch and checkpoints it (last, and best when the task's best metric improved). */
  async completeEpoch(record: EpochRecord, activationRows: ActivationRow[], evaluation: TaskEvaluation | undefined): Promise<void> {
    const epoch = record.epoch!;
    this.metricsLog.append([record]);
    this.activations.append(epoch, activationRows);
    const metric = this.session.task.bestMetric.column;
    const value = record[metric];
    const improved =
      value !== null && value !== undefined && Number.isFinite(value) && (this.state.best === null || value > this.state.best.value);
    if (improved) this.state.best = { metric, value, epoch };
    this.state = { ...this.state, epoch, random: this.session.random.state() };
    this.final = record;
    const {
      task: { model },
      optimizer,
    } = this.session;
    await saveCheckpoint(this.files.checkpoint('last'), model, optimizer.optimizer, this.state);
    if (improved) await saveCheckpoint(this.files.checkpoint('best'), model, optimizer.optimizer, this.state);
    if (evaluation) this.writeEvaluation(epoch, evaluation);
    this.writeRunJson('running');
  }

  /** The small result table printed at the end. */
  summary(): Record<string, string | number | null> {
    const { column, label } = this.session.task.bestMetric;
    return {
      'run directory': this.dir,
      epochs: this.state.epoch,
      [`best ${label}`]: this.state.best?.value ?? null,
      'best epoch': this.state.best?.epoch ?? null,
      [`final ${label}`]: this.final?.[column] ?? null,
      'final train loss': this.final?.train_loss ?? null,
    };
  }

  finish(status: Exclude<RunStatus, 'running'>, message?: string): void {
    this.writeRunJson(status, message);
  }

  /** The task's log rows, and its files (confusion.csv...) from the latest evaluation, so the final one stays. */
  private writeEvaluation(epoch: number, evaluation: TaskEvaluation): void {
    for (const [file, rows] of Object.entries(evaluation.logRows)) this.taskLogs.get(file)!.append(rows.map((row) => ({ epoch, ...row })));
    for (const [file, content] of Object.entries(evaluation.files)) writeFileAtomic(this.files.table(file), content);
  }

  private writeRunJson(status: RunStatus, message?: string): void {
    const now = new Date().toISOString();
    writeRunJson(this.dir, {
      status,
      ...(message ? { message } : {}),
      epochsCompleted: this.state.epoch,
      epochs: this.session.config.train.epochs,
      bestEpoch: this.state.best?.epoch ?? null,
      best: this.state.best,
      final: this.final,
      task: this.session.config.task,
      protocol: this.session.config.protocol ?? null,
      seed: this.session.config.seed,
      startedAt: this.startedAt,
      updatedAt: now,
      ...(status === 'running' ? {} : { finishedAt: now }),
    });
  }
}
