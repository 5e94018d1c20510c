import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import {
  activationsLog,
  ActivationRow,
  CheckpointState,
  checkConfigUnchanged,
  configDigest,
  createRunDirectory,
  CsvLog,
  loadCheckpoint,
  metricsLog,
  readJsonObject,
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
  private readonly configDigest: string;

  private constructor(
    readonly dir: string,
    private readonly session: TrainingSession,
    state: CheckpointState,
    startedAt: string,
  ) {
    this.files = runPaths(dir);
    this.state = state;
    this.startedAt = startedAt;
    this.configDigest = configDigest(dir);
    const { task } = session;
    this.metricsLog = metricsLog(this.files.metrics, task.trainColumns, task.testColumns);
    this.taskLogs = new Map(task.logs.map((log) => [log.file, new CsvLog(this.files.table(log.file), ['epoch', ...log.columns])]));
    this.activations = activationsLog(this.files.activations, session.activationRows());
  }

  get epochsCompleted(): number {
    return this.state.epoch;
  }

  /** Where training continues: the steps of the next epoch already trained, and their train sums. */
  get resumePoint(): { step: number; partial: CheckpointState['partial'] } {
    return { step: this.state.step, partial: this.state.partial };
  }

  /** A new run directory with config, env, the initial activation parameters and an epoch-0 checkpoint. */
  static async create(session: TrainingSession): Promise<RunWriter> {
    const dir = createRunDirectory(session.config.output.dir, session.config.name);
    writeRunConfig(dir, session.config);
    const state = { epoch: 0, step: 0, partial: null, best: null, random: session.random.state() };
    const record = new RunWriter(dir, session, state, new Date().toISOString());
    const warmStart = session.warmStart ? { warmStart: session.warmStart } : {};
    writeJsonAtomic(record.files.env, { ...environment(session.backend, session.config.seed), ...warmStart });
    for (const log of [record.metricsLog, ...record.taskLogs.values()]) log.append([]);
    record.activations.append(0, session.activationRows());
    await saveCheckpoint(record.files.checkpoint('last'), session.task.model, session.optimizer.optimizer, record.state);
    record.writeRunJson('running');
    return record;
  }

  /**
   * Continues `dir` from its newest complete checkpoints/last (mid-epoch when it was saved on interrupt): weights,
   * optimizer and random state restored, later log rows dropped. An edited config.yaml is refused.
   */
  static async resume(dir: string, session: TrainingSession): Promise<RunWriter> {
    const previous = readRunJson(dir);
    checkConfigUnchanged(dir, previous.configDigest);
    const bounds = { epochs: session.config.train.epochs, stepsPerEpoch: session.task.stepsPerEpoch };
    const state = await loadCheckpoint(runPaths(dir).checkpoint('last'), session.task.model, session.optimizer.optimizer, bounds);
    session.random.setState(state.random);
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
    this.state = { ...this.state, epoch, step: 0, partial: null, random: this.session.random.state() };
    this.final = record;
    const {
      task: { model },
      optimizer,
    } = this.session;
    // best first: once last says this epoch is done (and best), a resume never replays it to write best again.
    if (improved) await saveCheckpoint(this.files.checkpoint('best'), model, optimizer.optimizer, this.state);
    await saveCheckpoint(this.files.checkpoint('last'), model, optimizer.optimizer, this.state);
    if (evaluation) this.writeEvaluation(epoch, evaluation);
    this.recordKernels();
    this.writeRunJson('running');
  }

  /** env.json's `kernels`: which kernels ran so far (native implementations are known only once they ran). */
  private recordKernels(): void {
    const kernels = this.session.backend.kernels?.();
    if (kernels) writeJsonAtomic(this.files.env, { ...readJsonObject(this.files.env), kernels });
  }

  /**
   * Checkpoints (last) a run stopped on request after `step` steps of epoch `epoch`, with the train columns' sums
   * so far, so a resume continues from that step.
   */
  async saveInterrupted(epoch: number, step: number, partial: NonNullable<CheckpointState['partial']>): Promise<void> {
    this.state = { ...this.state, epoch: epoch - 1, step, partial, random: this.session.random.state() };
    const { task, optimizer } = this.session;
    await saveCheckpoint(this.files.checkpoint('last'), task.model, optimizer.optimizer, this.state);
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
      configDigest: this.configDigest,
      startedAt: this.startedAt,
      updatedAt: now,
      ...(status === 'running' ? {} : { finishedAt: now }),
    });
  }
}
