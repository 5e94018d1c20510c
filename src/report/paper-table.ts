import { AcafError } from '../errors';
import { ColumnStats, columnStats } from './aggregate';
import { fractionColumns, IdentityColumn, lowerIsBetterColumns, NumericColumn, RunSummary } from './summary';

export type TableColumnKey = 'network' | 'dataset';

/** A table laid out like the paper's: activations as rows, networks (or datasets) as columns, one metric. */
export interface PaperTable {
  metric: NumericColumn;
  columnKey: TableColumnKey;
  rows: string[];
  columns: string[];
  /** `cells[row][column]`; undefined where no run has that activation and network. */
  cells: (ColumnStats | undefined)[][];
  /** Per column, whether each row holds the best mean in that column (ties are all best). */
  best: boolean[][];
}

/** Things that must not vary inside a cell: mixing them would average different experiments. */
const mustAgree: Record<TableColumnKey, IdentityColumn[]> = {
  network: ['dataset', 'optimizer', 'protocol'],
  dataset: ['network', 'optimizer', 'protocol'],
};

/**
 * Builds the paper-style table: each cell is the mean and sample std (n - 1) of `metric` over the runs with that
 * activation and network/dataset (typically seeds). A cell mixing runs of different datasets, optimizers or
 * protocols is an error: those are separate tables.
 */
export function buildPaperTable(runs: RunSummary[], metric: NumericColumn, columnKey: TableColumnKey = 'network'): PaperTable {
  const rows = distinct(runs.map((run) => String(run.activation)));
  const columns = distinct(runs.map((run) => String(run[columnKey])));
  const cells = rows.map((activation) =>
    columns.map((column) => {
      const members = runs.filter((run) => run.activation === activation && String(run[columnKey]) === column);
      if (!members.length) return undefined;
      checkOneExperiment(members, columnKey, activation, column);
      return columnStats(members, metric);
    }),
  );
  const lowerIsBetter = lowerIsBetterColumns.has(metric);
  const best = rows.map(() => columns.map(() => false));
  columns.forEach((_, columnIndex) => {
    const means = cells.map((row) => row[columnIndex]?.mean).filter((value): value is number => value !== undefined);
    if (!means.length) return;
    const target = lowerIsBetter ? Math.min(...means) : Math.max(...means);
    cells.forEach((row, rowIndex) => (best[rowIndex][columnIndex] = row[columnIndex]?.mean === target));
  });
  return { metric, columnKey, rows, columns, cells, best };
}

function checkOneExperiment(members: RunSummary[], columnKey: TableColumnKey, activation: string, column: string): void {
  for (const key of mustAgree[columnKey]) {
    const values = distinct(members.map((run) => String(run[key])));
    if (values.length > 1) {
      throw new AcafError(
        `table cell (${activation}, ${column}) mixes runs with ${key} ${values.join(' and ')}; ` +
          'pass the runs of one experiment, or use --format csv --by activation,' +
          `${columnKey},${key}`,
      );
    }
  }
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** `85.20 ± 0.41` (percent for accuracy-like metrics, 2 decimals); the std is left out for a single run. */
export function formatCell(stats: ColumnStats | undefined, metric: NumericColumn, plusMinus = '±'): string | undefined {
  if (stats?.mean === undefined) return undefined;
  const scale = fractionColumns.has(metric) ? 100 : 1;
  const meanText = (stats.mean * scale).toFixed(2);
  return stats.std === undefined ? meanText : `${meanText} ${plusMinus} ${(stats.std * scale).toFixed(2)}`;
}

/** The sentence under a table saying what the cells are. */
export function tableNote(table: PaperTable): string {
  const counts = table.cells
    .flat()
    .filter((cell): cell is ColumnStats => cell !== undefined)
    .map((cell) => cell.count);
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  const n = low === high ? `n = ${low}` : `n = ${low} to ${high}`;
  const unit = fractionColumns.has(table.metric) ? ' (%)' : '';
  const best = lowerIsBetterColumns.has(table.metric) ? 'lowest' : 'highest';
  return `${table.metric}${unit}: mean ± sample standard deviation (n - 1) over runs per cell, ${n}; bold: ${best} mean per column.`;
}

/** A Markdown table (GitHub style), best cell per column in bold, the note below. */
export function renderMarkdown(table: PaperTable): string {
  const header = `| activation | ${table.columns.join(' | ')} |`;
  const rule = `|---|${table.columns.map(() => '---:').join('|')}|`;
  const lines = table.rows.map((activation, rowIndex) => {
    const cells = table.columns.map((_, columnIndex) => {
      const text = formatCell(table.cells[rowIndex][columnIndex], table.metric);
      if (text === undefined) return '–';
      return table.best[rowIndex][columnIndex] ? `**${text}**` : text;
    });
    return `| ${activation} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...lines, '', tableNote(table), ''].join('\n');
}

/** A LaTeX `tabular` (booktabs), best cell per column in bold, the note as a comment above it. */
export function renderLatex(table: PaperTable): string {
  const lines = table.rows.map((activation, rowIndex) => {
    const cells = table.columns.map((_, columnIndex) => {
      const text = formatCell(table.cells[rowIndex][columnIndex], table.metric, '\\pm');
      if (text === undefined) return '--';
      return table.best[rowIndex][columnIndex] ? `$\\mathbf{${text}}$` : `$${text}$`;
    });
    return `${escapeLatex(activation)} & ${cells.join(' & ')} \\\\`;
  });
  return [
    `% ${tableNote(table)} Needs \\usepackage{booktabs}.`,
    `\\begin{tabular}{l${'c'.repeat(table.columns.length)}}`,
    '\\toprule',
    `Activation & ${table.columns.map(escapeLatex).join(' & ')} \\\\`,
    '\\midrule',
    ...lines,
    '\\bottomrule',
    '\\end{tabular}',
    '',
  ].join('\n');
}

export function escapeLatex(text: string): string {
  return text.replace(/([&%$#_{}])/g, '\\$1');
}
