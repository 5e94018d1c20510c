import type { RunGroup } from './aggregate';
import type { Baseline, GroupComparison } from './baseline';
import { escapeLatex, formatCell } from './paper-table';
import { fractionColumns, IdentityColumn, lowerIsBetterColumns, NumericColumn } from './summary';

/** Convergence columns every grouped table shows after its metric. */
const convergenceColumns: NumericColumn[] = ['first_epoch_accuracy', 'epochs_to_95_best', 'accuracy_auc'];

/** p below this marks a difference as significant (paired t-test). */
export const SIGNIFICANCE = 0.05;

/** `--by` groups as a table: one row per group, mean ± std of the metric and the convergence columns, and the baseline comparison. */
export interface GroupTable {
  by: IdentityColumn[];
  metric: NumericColumn;
  columns: NumericColumn[];
  groups: RunGroup[];
  /** Per group, its comparison with the baseline (when `--baseline` is given). */
  comparisons?: (GroupComparison | undefined)[];
  baseline?: Baseline;
  /** `best[group][column]`: the best mean of that column (ties are all best). */
  best: boolean[][];
}

export function buildGroupTable(
  groups: RunGroup[],
  by: IdentityColumn[],
  metric: NumericColumn,
  comparison?: { baseline: Baseline; comparisons: (GroupComparison | undefined)[] },
): GroupTable {
  const columns = [metric, ...convergenceColumns.filter((column) => column !== metric)];
  const best = groups.map(() => columns.map(() => false));
  columns.forEach((column, columnIndex) => {
    const means = groups.map((group) => group.stats[column].mean).filter((value): value is number => value !== undefined);
    if (!means.length) return;
    const target = lowerIsBetterColumns.has(column) ? Math.min(...means) : Math.max(...means);
    groups.forEach((group, groupIndex) => (best[groupIndex][columnIndex] = group.stats[column].mean === target));
  });
  return { by, metric, columns, groups, best, baseline: comparison?.baseline, comparisons: comparison?.comparisons };
}

/** A difference in the metric's unit (percentage points for fractions), signed. */
function formatDifference(value: number, metric: NumericColumn): string {
  const scaled = value * (fractionColumns.has(metric) ? 100 : 1);
  return `${scaled >= 0 ? '+' : ''}${scaled.toFixed(2)}`;
}

/** `+1.23 [-0.40, +2.86]` (the interval where there is one). */
export function formatComparison(comparison: GroupComparison | undefined, metric: NumericColumn): string {
  if (!comparison) return '–';
  const { difference, ci } = comparison.comparison;
  const interval = ci ? ` [${formatDifference(ci[0], metric)}, ${formatDifference(ci[1], metric)}]` : '';
  return `${formatDifference(difference, metric)}${interval}`;
}

export function formatP(p: number | undefined): string {
  if (p === undefined) return '–';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function significant(comparison: GroupComparison | undefined): boolean {
  return (comparison?.comparison.pValue ?? 1) < SIGNIFICANCE;
}

/** The column headings, then one row of plain cell texts per group, with whether each cell is bold / significant. */
function tableCells(table: GroupTable, plusMinus: string): { head: string[]; rows: { text: string; bold: boolean; mark: boolean }[][] } {
  const withBaseline = table.baseline !== undefined;
  const head = [
    ...table.by,
    'n',
    ...table.columns,
    ...(withBaseline ? [`Δ vs ${table.baseline!.column}=${table.baseline!.value} [95% CI]`, 'p (t)', 'p (sign-flip)'] : []),
  ];
  const rows = table.groups.map((group, groupIndex) => {
    const comparison = table.comparisons?.[groupIndex];
    return [
      ...table.by.map((column) => ({ text: String(group.key[column] ?? ''), bold: false, mark: false })),
      { text: String(group.runs.length), bold: false, mark: false },
      ...table.columns.map((column, columnIndex) => ({
        text: formatCell(group.stats[column], column, plusMinus) ?? '–',
        bold: table.best[groupIndex][columnIndex],
        mark: false,
      })),
      ...(withBaseline
        ? [
            { text: formatComparison(comparison, table.metric), bold: false, mark: significant(comparison) },
            { text: formatP(comparison?.comparison.pValue), bold: false, mark: false },
            { text: formatP(comparison?.comparison.permutationPValue), bold: false, mark: false },
          ]
        : []),
    ];
  });
  return { head, rows };
}

/** The sentence under a grouped table saying what its cells are. */
export function groupTableNote(table: GroupTable): string {
  const unit = (column: NumericColumn) => (fractionColumns.has(column) ? ' (%)' : '');
  const parts = [
    `${table.columns.map((column) => `${column}${unit(column)}`).join(', ')}: mean ± sample standard deviation (n - 1) over distinct seeds ` +
      '(the latest complete run of each seed); bold: best mean per column.',
    "first_epoch_accuracy: test accuracy after epoch 1; epochs_to_95_best: first epoch reaching 95% of the run's best accuracy; " +
      'accuracy_auc: area under the accuracy-per-epoch curve divided by the epochs it spans.',
  ];
  if (table.baseline) {
    parts.push(
      `Δ: mean paired difference of ${table.metric}${unit(table.metric)} to the group with ${table.baseline.column} ${table.baseline.value}, ` +
        `over the seeds both have, with its 95% t interval; p (t): paired t-test; p (sign-flip): exact sign-flip permutation test; ` +
        `*: p (t) < ${SIGNIFICANCE}.`,
    );
  }
  return parts.join(' ');
}

/** The grouped table in Markdown (GitHub style). */
export function renderGroupMarkdown(table: GroupTable): string {
  const { head, rows } = tableCells(table, '±');
  const lines = rows.map(
    (row) => `| ${row.map((cell) => `${cell.bold ? `**${cell.text}**` : cell.text}${cell.mark ? ' *' : ''}`).join(' | ')} |`,
  );
  const rule = `|${head.map((_, index) => (index < table.by.length ? '---' : '---:')).join('|')}|`;
  return [`| ${head.join(' | ')} |`, rule, ...lines, '', groupTableNote(table), ''].join('\n');
}

/** The grouped table as a LaTeX `tabular` (booktabs), the note as a comment above it. */
export function renderGroupLatex(table: GroupTable): string {
  const { head, rows } = tableCells(table, '\\pm');
  const math = (cell: { text: string; bold: boolean; mark: boolean }, index: number) => {
    if (index < table.by.length) return escapeLatex(cell.text);
    if (cell.text === '–') return '--';
    const body = cell.bold ? `\\mathbf{${cell.text}}` : cell.text;
    return `$${body}${cell.mark ? '^{*}' : ''}$`;
  };
  return [
    `% ${groupTableNote(table)} Needs \\usepackage{booktabs}.`,
    `\\begin{tabular}{${'l'.repeat(table.by.length)}${'c'.repeat(head.length - table.by.length)}}`,
    '\\toprule',
    `${head.map((text) => escapeLatex(text).replace(/Δ/g, '$\\Delta$')).join(' & ')} \\\\`,
    '\\midrule',
    ...rows.map((row) => `${row.map(math).join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
    '',
  ].join('\n');
}
