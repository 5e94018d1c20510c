import * as fs from 'fs';
import { stringify } from 'csv-stringify/sync';
import { AcafError } from '../errors';
import { writeFileAtomic } from '../io/atomic';

export type CsvValue = string | number | null | undefined;

/**
 * A CSV file with one row per epoch (first column `epoch`), rewritten atomically on every append. On resume it
 * keeps the rows of the epochs the checkpoint covers and drops later ones, which the resumed run replays.
 */
export class CsvLog {
  private rows: string[] = [];

  constructor(
    readonly file: string,
    readonly columns: string[],
  ) {}

  resumeAt(epoch: number): void {
    const [header, ...rows] = fs.readFileSync(this.file, 'utf8').trimEnd().split('\n');
    if (header !== this.columns.join(',')) throw new AcafError(`${this.file}: columns differ from this run's (${header})`);
    this.rows = rows.filter((row) => Number(row.slice(0, row.indexOf(','))) <= epoch);
  }

  append(records: Record<string, CsvValue>[]): void {
    const cells = records.map((record) => this.columns.map((column) => format(record[column])));
    this.rows.push(...stringify(cells).trimEnd().split('\n').filter(Boolean));
    writeFileAtomic(this.file, `${[this.columns.join(','), ...this.rows].join('\n')}\n`);
  }
}

/** Empty for missing values; full precision otherwise, so identical runs give identical files. */
function format(value: CsvValue): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  return String(value);
}
