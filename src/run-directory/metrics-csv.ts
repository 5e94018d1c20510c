import { AcafError } from '../errors';
import { numberCell, readCsv } from './csv-read';
import { CsvLog } from './csv-log';

/** One row of `metrics.csv` as reports read it: the run's state after one epoch. Empty cells (e.g. `test_top5`) are `undefined`. */
export interface EpochMetrics {
  epoch: number;
  lr?: number;
  train_loss?: number;
  train_accuracy?: number;
  /** The epoch's last batch's loss (what the authors' code logged); absent in runs made before it existed. */
  train_loss_last?: number;
  test_loss?: number;
  test_accuracy?: number;
  test_top5?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  seconds?: number;
}

const METRIC_COLUMNS = [
  'lr',
  'train_loss',
  'train_accuracy',
  'train_loss_last',
  'test_loss',
  'test_accuracy',
  'test_top5',
  'precision',
  'recall',
  'f1',
  'seconds',
] as const;

/** metrics.csv: `epoch,lr`, the task's train and test columns, then `seconds`. */
export function metricsLog(file: string, trainColumns: string[], testColumns: string[]): CsvLog {
  return new CsvLog(file, ['epoch', 'lr', ...trainColumns, ...testColumns, 'seconds']);
}

/**
 * Which test measurement the test columns hold. `paper`: the run's own evaluation (in a paper-faithful run the
 * authors' one 64-image batch with batch statistics); `full`: the whole test set with moving statistics, which a
 * paper-faithful run logs as `full_<column>` and a corrected run's own evaluation already is.
 */
export type Measure = 'paper' | 'full';

/** The test columns a paper-faithful run also logs with the `full_` prefix (full_test_accuracy...). */
const MEASURED_COLUMNS: ReadonlySet<string> = new Set(['test_loss', 'test_accuracy', 'test_top5', 'precision', 'recall', 'f1']);

/** The classification columns of metrics.csv (other columns are not read), the test ones from `measure`. */
export function readMetrics(file: string, measure: Measure = 'paper'): EpochMetrics[] {
  const rows = readCsv(file);
  const full = measure === 'full' && rows.length > 0 && 'full_test_accuracy' in rows[0];
  return rows.map((row, index) => {
    const where = `${file} row ${index + 1}`;
    const epoch = numberCell(row, 'epoch', where);
    if (epoch === undefined) throw new AcafError(`${where}: missing 'epoch'`);
    const metrics: EpochMetrics = { epoch };
    for (const column of METRIC_COLUMNS)
      metrics[column] = numberCell(row, full && MEASURED_COLUMNS.has(column) ? `full_${column}` : column, where);
    return metrics;
  });
}
