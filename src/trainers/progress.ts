import type { ProgressColumn } from '../tasks/task';
import { formatDuration, RunClock } from './run-clock';

export type OutputMode = 'bars' | 'plain' | 'quiet' | 'json';

/** One finished epoch as metrics.csv records it (null: not evaluated or not applicable). */
export type EpochRecord = Record<string, number | null>;

export interface StepProgress {
  epoch: number;
  step: number;
  steps: number;
  /** The task's train columns averaged over the epoch so far (`train_loss`, `train_accuracy`...). */
  train: Record<string, number>;
  /** The columns summed over images (all but `last` ones) for this step's batch alone. */
  batch: Record<string, number>;
  lr: number;
  imagesPerSecond: number;
}

export interface RunStart {
  backend: string;
  detail?: string;
  reason: string;
  runDir: string;
  epochs: number;
  firstEpoch: number;
  stepsPerEpoch: number;
  /** How many evaluations the epochs still to run hold. */
  evaluations: number;
  /** Test images per evaluation. */
  evaluationImages: number;
  /** The task's columns to show, with their labels. */
  columns: { train: ProgressColumn[]; test: ProgressColumn[] };
  /** Lines to show before training (e.g. what a warm start loaded). */
  notes?: string[];
}

/** What the trainer tells the user; one implementation per output mode. */
export interface ProgressReporter {
  start(info: RunStart): void;
  step(progress: StepProgress): void;
  /** `images` of the epoch's evaluation are done. */
  evaluating(epoch: number, images: number): void;
  epoch(record: EpochRecord): void;
  warn(line: string): void;
  finish(summary: Record<string, string | number | null>): void;
}

export interface ReporterOptions {
  write?: (text: string) => void;
  /** Terminal width for `bars` (default: stdout's columns, else 80). */
  columns?: () => number;
  /** Seconds between progress lines in `plain` mode. */
  plainIntervalSeconds?: number;
  /** Milliseconds between redraws of the status line in `bars` mode. */
  redrawMilliseconds?: number;
}

const fixed = (value: number | null | undefined, digits = 4) => (value === null || value === undefined ? '-' : value.toFixed(digits));

/** `label value` for each column present in `values`; test columns only on evaluated epochs (not null). */
function shown(values: Record<string, number | null | undefined>, columns: ProgressColumn[]): string[] {
  return columns
    .filter(({ column }) => values[column] !== undefined && values[column] !== null)
    .map(({ column, label }) => `${label} ${fixed(values[column])}`);
}

function summaryTable(summary: Record<string, string | number | null>): string[] {
  const width = Math.max(...Object.keys(summary).map((key) => key.length));
  return Object.entries(summary).map(
    ([key, value]) => `  ${key.padEnd(width)}  ${typeof value === 'number' && !Number.isInteger(value) ? fixed(value) : (value ?? '-')}`,
  );
}

/** `[=====>    ]` of `width` characters in all. */
function bar(fraction: number, width: number): string {
  const inside = width - 2;
  const filled = Math.min(inside, Math.floor(fraction * inside));
  return `[${'='.repeat(filled)}${filled < inside ? '>' : ''}${' '.repeat(Math.max(0, inside - filled - 1))}]`;
}

/**
 * `head [bar] tail` in at most `width` characters: the bar takes the room left (at least 12), and is dropped
 * before the text is cut.
 */
function fitted(head: string, fraction: number, tail: string, width: number): string {
  const room = width - head.length - tail.length - 2;
  if (room >= 12) return `${head} ${bar(fraction, room)} ${tail}`;
  return `${head} ${tail}`.slice(0, width);
}

/**
 * Plain lines (CI logs, Slurm: one per epoch and one every few seconds, no control characters), a live status line
 * below the epoch lines (a terminal), nothing but errors (quiet), or JSON lines.
 */
export function createReporter(mode: OutputMode, options: ReporterOptions = {}): ProgressReporter {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const columns = options.columns ?? (() => process.stdout.columns || 80);
  const interval = (options.plainIntervalSeconds ?? 30) * 1000;
  const redraw = options.redrawMilliseconds ?? 100;
  const line = (text: string) => write(`${text}\n`);
  const json = (event: string, body: object) => line(JSON.stringify({ event, ...body }));
  let run: RunStart;
  let clock: RunClock;
  let status = '';
  let lastStatus = 0;
  let lastPlain = Date.now();

  const eta = () => {
    const left = clock.secondsLeft();
    return left === undefined ? 'ETA -' : `ETA ${formatDuration(left)}`;
  };
  const stepText = (progress: StepProgress) =>
    [...shown(progress.train, run.columns.train), `${progress.imagesPerSecond.toFixed(0)} img/s`, eta()].join('  ');
  /**
   * Rewrites the status line `head [bar] tail` on a terminal (every `redraw` ms at most), or prints `plain` every
   * `interval` off one (worded so that it never reads as an epoch's result line).
   */
  const show = (head: string, fraction: number, tail: string, plain: string) => {
    const time = Date.now();
    if (mode === 'bars' && time - lastStatus >= redraw) {
      lastStatus = time;
      status = fitted(head, fraction, tail, columns() - 1);
      write(`\r${status}\x1b[K`);
    } else if (mode === 'plain' && time - lastPlain >= interval) {
      lastPlain = time;
      line(plain);
    }
  };
  /** A line above the status line; `again`: the status line is drawn again below it (else the next update draws it). */
  const above = (text: string, again: boolean) => {
    if (mode !== 'bars' || !status) return line(text);
    write(`\r\x1b[K${text}\n${again ? status : ''}`);
    if (!again) status = '';
  };

  return {
    start(info) {
      run = info;
      clock = new RunClock((info.epochs - info.firstEpoch + 1) * info.stepsPerEpoch, info.evaluations);
      if (mode === 'json') return json('start', info);
      if (mode === 'quiet') return;
      line(`backend: ${info.backend}${info.detail ? `, ${info.detail}` : ''} (${info.reason})`);
      line(`run directory: ${info.runDir}`);
      for (const note of info.notes ?? []) line(note);
    },
    step(progress) {
      clock.step();
      const tail = `${progress.step}/${progress.steps}  ${stepText(progress)}`;
      show(`epoch ${progress.epoch}/${run.epochs}`, progress.step / progress.steps, tail, `  step ${tail} (epoch ${progress.epoch})`);
    },
    evaluating(epoch, images) {
      clock.evaluationStarted();
      const tail = `${images}/${run.evaluationImages} images  ${eta()}`;
      show(`epoch ${epoch}/${run.epochs} evaluating`, images / run.evaluationImages, tail, `  evaluating ${tail} (epoch ${epoch})`);
    },
    epoch(record) {
      clock.epochEnded();
      if (mode === 'json') return json('epoch', record);
      if (mode === 'quiet') return;
      const values = [`lr ${record.lr?.toPrecision(3)}`, ...shown(record, run.columns.train), ...shown(record, run.columns.test)];
      const last = record.epoch === run.epochs;
      above(`epoch ${record.epoch}/${run.epochs}  ${values.join('  ')}  ${fixed(record.seconds, 1)}s${last ? '' : `  ${eta()}`}`, false);
    },
    warn(text) {
      if (mode === 'json') return json('warning', { message: text });
      if (mode !== 'quiet') above(`warning: ${text}`, true);
    },
    finish(summary) {
      if (status) write('\r\x1b[K');
      status = '';
      if (mode === 'json') return json('finish', summary);
      if (mode === 'quiet') return;
      line('result:');
      summaryTable(summary).forEach(line);
    },
  };
}
