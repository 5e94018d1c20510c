import { CsvLog, CsvValue } from './csv-log';

/** One adaptive call site's learned parameters, as `activationParameters(model)` reports them. */
export interface ActivationRow {
  site: string;
  type: string;
  share: string;
  parameters: Record<string, { mean: number; min: number; max: number; size: number }>;
}

/** Parameters in the column order of docs/design.md; others a plugin may add follow alphabetically. */
const KNOWN_ORDER = ['a', 'b', 'c', 'd', 'alpha', 'beta', 'slope'];

/** activations.csv: `epoch,site,type,share`, then `p,p_min,p_max` for each parameter any site has. */
export function activationsLog(
  file: string,
  initialRows: ActivationRow[],
): { log: CsvLog; append(epoch: number, rows: ActivationRow[]): void } {
  const names = [...new Set(initialRows.flatMap((row) => Object.keys(row.parameters)))];
  const rank = (name: string) => (KNOWN_ORDER.includes(name) ? KNOWN_ORDER.indexOf(name) : KNOWN_ORDER.length);
  names.sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  const log = new CsvLog(file, ['epoch', 'site', 'type', 'share', ...names.flatMap((p) => [p, `${p}_min`, `${p}_max`])]);
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
