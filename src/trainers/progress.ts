import * as cliProgress from 'cli-progress';

export type OutputMode = 'bars' | 'plain' | 'quiet' | 'json';

/** One finished epoch as metrics.csv records it (null: not evaluated or not applicable). */
export type EpochRecord = Record<string, number | null>;

export interface StepProgress {
  epoch: number;
  step: number;
  steps: number;
  /** The task's train columns averaged over the epoch so far (`train_loss`, `train_accuracy`...). */
  train: Record<string, number>;
  /** The same columns for this step's batch alone. */
  batch: Record<string, number>;
  lr: number;
  imagesPerSecond: number;
}

/** What the trainer tells the user; one implementation per output mode. */
export interface ProgressReporter {
  start(info: {
    backend: string;
    detail?: string;
    reason: string;
    runDir: string;
    epochs: number;
    firstEpoch: number;
    stepsPerEpoch: number;
    /** Lines to show before training (e.g. what a warm start loaded). */
    notes?: string[];
  }): void;
  step(progress: StepProgress): void;
  epoch(record: EpochRecord): void;
  warn(line: string): void;
  finish(summary: Record<string, string | number | null>): void;
}

const fixed = (value: number | null | undefined, digits = 4) => (value === null || value === undefined ? '-' : value.toFixed(digits));

/** The columns progress lines show where a task logs them, with their short labels. */
const TRAIN_LABELS: [string, string][] = [
  ['train_loss', 'loss'],
  ['train_accuracy', 'acc'],
];
const TEST_LABELS: [string, string][] = [
  ['test_loss', 'test loss'],
  ['test_accuracy', 'test acc'],
  ['map50', 'mAP@0.5'],
  ['coco_ap', 'COCO AP'],
];

/** `label value` for each labelled column present in `values`; test columns only on evaluated epochs (not null). */
function shown(values: Record<string, number | null | undefined>, labels: [string, string][]): string {
  return labels
    .filter(([column]) => values[column] !== undefined && values[column] !== null)
    .map(([column, label]) => `  ${label} ${fixed(values[column])}`)
    .join('');
}

function epochLine(record: EpochRecord, epochs: number): string {
  return `epoch ${record.epoch}/${epochs}  lr ${record.lr?.toPrecision(3)}${shown(record, TRAIN_LABELS)}${shown(record, TEST_LABELS)}  ${fixed(record.seconds, 1)}s`;
}

function summaryTable(summary: Record<string, string | number | null>): string[] {
  const width = Math.max(...Object.keys(summary).map((key) => key.length));
  return Object.entries(summary).map(
    ([key, value]) => `  ${key.padEnd(width)}  ${typeof value === 'number' && !Number.isInteger(value) ? fixed(value) : (value ?? '-')}`,
  );
}

/** Plain lines (CI logs), progress bars (a terminal), nothing but errors (quiet), or JSON lines. */
export function createReporter(mode: OutputMode, write: (text: string) => void = (text) => process.stdout.write(text)): ProgressReporter {
  let epochs = 0;
  const line = (text: string) => write(`${text}\n`);
  const json = (event: string, body: object) => line(JSON.stringify({ event, ...body }));
  let bars: { multi: cliProgress.MultiBar; epochs: cliProgress.SingleBar; batches: cliProgress.SingleBar } | undefined;
  return {
    start(info) {
      epochs = info.epochs;
      if (mode === 'json') return json('start', info);
      if (mode === 'quiet') return;
      line(`backend: ${info.backend}${info.detail ? `, ${info.detail}` : ''} (${info.reason})`);
      line(`run directory: ${info.runDir}`);
      for (const note of info.notes ?? []) line(note);
      if (mode !== 'bars') return;
      const multi = new cliProgress.MultiBar(
        { format: '{label} [{bar}] {value}/{total} {info} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      bars = {
        multi,
        epochs: multi.create(info.epochs, info.firstEpoch - 1, { label: 'epochs ', info: '' }),
        batches: multi.create(info.stepsPerEpoch, 0, { label: 'batches', info: '' }),
      };
    },
    step(progress) {
      const info = `${shown(progress.train, TRAIN_LABELS).trim()} ${progress.imagesPerSecond.toFixed(0)} img/s`;
      bars?.batches.update(progress.step, { info });
    },
    epoch(record) {
      if (mode === 'json') return json('epoch', record);
      if (bars) {
        bars.epochs.update(record.epoch ?? 0, { info: shown(record, TEST_LABELS).trim() });
        bars.batches.update(0);
      } else if (mode === 'plain') line(epochLine(record, epochs));
    },
    warn(text) {
      if (mode === 'json') return json('warning', { message: text });
      if (bars) bars.multi.log(`warning: ${text}\n`);
      else if (mode !== 'quiet') line(`warning: ${text}`);
    },
    finish(summary) {
      bars?.multi.stop();
      if (mode === 'json') return json('finish', summary);
      if (mode === 'quiet') return;
      line('result:');
      summaryTable(summary).forEach(line);
    },
  };
}
