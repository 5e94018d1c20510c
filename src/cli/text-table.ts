/**
 * Rows of cells as aligned plain-text columns (two spaces apart, trailing spaces trimmed), for terminal output.
 * `rightAligned` columns (numbers) are padded on the left; `rule` puts a line of dashes under the header.
 */
export function textTable(header: string[], rows: string[][], options: { rightAligned?: number[]; rule?: boolean } = {}): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const right = new Set(options.rightAligned ?? []);
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (right.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const rule = options.rule ? [line(widths.map((width) => '-'.repeat(width)))] : [];
  return [line(header), ...rule, ...rows.map(line)].join('\n');
}
