import * as fs from 'fs';
import { parse } from 'csv-parse/sync';
import { AcafError } from '../errors';

/** The rows of a CSV file with a header line, as objects of strings keyed by column name. */
export function readCsv(file: string): Record<string, string>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AcafError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parse(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new AcafError(`${file}: invalid CSV: ${(error as Error).message}`);
  }
}

/** A numeric cell: `undefined` when empty; `NaN` is kept (a diverged run logs it); other non-numbers are errors. */
export function numberCell(row: Record<string, string>, column: string, where: string): number | undefined {
  const text = row[column];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new AcafError(`${where}: column '${column}' is '${text}', expected a number`);
  return value;
}
