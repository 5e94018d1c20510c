import { AcafError } from '../errors';
import { numberCell, readCsv } from './csv-read';
import { CsvLog, CsvValue } from './csv-log';

/** One adaptive call site's learned parameters, as `activationParameters(model)` reports them. */
export interface ActivationRow {
  site: string;
  type: string;
  share: string;
  parameters: Record<string, { mean: number; min: number; max: number; size: number }>;
}

/** Mean, min and max of one activation parameter over a call site's parameter set. */
export interface ParameterStats {
  mean: number;
  min?: number;
  max?: number;
}

/** One row of `activations.csv` as reports read it: an adaptive call site's parameters after an epoch (0 = initial values). */
export interface ActivationSnapshot {
  epoch: number;
  site: string;
  type: string;
  share: string;
  /** Only the parameters this site has (`a`, `b`, `alpha`...). */
  params: Record<string, ParameterStats>;
}

/** Parameters in the column order of docs/design.md; others a plugin may add follow alphabetically. */
const KNOWN_ORDER = ['a', 'b', 'c', 'd', 'alpha', 'beta', 'slope'];
const SITE_COLUMNS = new Set(['epoch', 'site', 'type', 'share']);

/** activations.csv: `epoch,site,type,share`, then `p,p_min,p_max` for each parameter any site has. */
export function activationsLog(
  file: string,
  initialRows: ActivationRow[],
): { log: CsvLog; append(epoch: number, rows: ActivationRow[]): void } {
  const names = [...new Set(initialRows.flatMap((row) => Object.keys(row.parameters)))];
  const rank = (name: string) => (KNOWN_ORDER.includes(name) ? KNOWN_ORDER.indexOf(name) : KNOWN_ORDER.length);
  names.sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  const log = new CsvLog(file, [...SITE_COLUMNS, ...names.flatMap((p) => [p, `${p}_min`, `${p}_max`])]);
  return {
    log,
    append(epoch, rows) {
      log.append(
        rows.map((row) => {
          const record: Record<string, CsvValue> = { epoch, site: row.site, type: row.type, share: row.share };
          for (const [p, summary] of Object.entries(row.parameters))
            Object.assign(record, { [p]: summary.mean, [`${p}_min`]: summary.min, [`${p}_max`]: summary.max });
          return record;
        }),
      );
    },
  };
}

/** Reads activations.csv; a site lacking parameter `p` leaves `p`, `p_min`, `p_max` empty. */
export function readActivations(file: string): ActivationSnapshot[] {
  return readCsv(file).map((row, index) => {
    const where = `${file} row ${index + 1}`;
    const epoch = numberCell(row, 'epoch', where);
    if (epoch === undefined || !row.site) throw new AcafError(`${where}: missing 'epoch' or 'site'`);
    const params: Record<string, ParameterStats> = {};
    for (const column of Object.keys(row)) {
      if (SITE_COLUMNS.has(column) || /_(min|max)$/.test(column)) continue;
      const mean = numberCell(row, column, where);
      if (mean === undefined) continue;
      params[column] = { mean, min: numberCell(row, `${column}_min`, where), max: numberCell(row, `${column}_max`, where) };
    }
    return { epoch, site: row.site, type: row.type ?? '', share: row.share ?? '', params };
  });
}
