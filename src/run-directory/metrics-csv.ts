import { AcafError } from '../errors';
import { numberCell, readCsv } from './csv-read';
import { CsvLog } from './csv-log';

/** One row of `metrics.csv` as reports read it: the run's state after one epoch. Empty cells (e.g. `test_top5`) are `undefined`. */
export interface EpochMetrics {
  epoch: number;
  lr?: number;
  train_loss?: number;
  train_accuracy?: number;
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

/** The classification columns of metrics.csv (other columns are not read). */
export function readMetrics(file: string): EpochMetrics[] {
  return readCsv(file).map((row, index) => {
    const where = `${file} row ${index + 1}`;
    const epoch = numberCell(row, 'epoch', where);
    if (epoch === undefined) throw new AcafError(`${where}: missing 'epoch'`);
    const metrics: EpochMetrics = { epoch };
    for (const column of METRIC_COLUMNS) metrics[column] = numberCell(row, column, where);
    return metrics;
  });
}
