import { formatCell, PaperTable, tableNote } from './paper-table';
import { identityColumns, numericColumns, RunSummary } from './summary';

export interface ReportFigure {
  title: string;
  svg: string;
}

export interface ReportContent {
  title: string;
  /** Paper-style tables, each with a heading (one per dataset / optimizer / protocol). */
  tables: { heading: string; table: PaperTable }[];
  runs: RunSummary[];
  figures: ReportFigure[];
  /** The statistics section (HTML): adaptive against fixed activations. */
  statistics: string;
  /** Lines shown under the title: what was read, what was skipped. */
  notes: string[];
  /** Detection runs: a few test images with their detections drawn (PNG), per run. */
  detectionImages?: { title: string; pngs: Buffer[] }[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function paperTableHtml(table: PaperTable): string {
  const head = `<tr><th>activation</th>${table.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((activation, rowIndex) => {
    const cells = table.columns.map((_, columnIndex) => {
      const text = escapeHtml(formatCell(table.cells[rowIndex][columnIndex], table.metric) ?? '–');
      return `<td>${table.best[rowIndex][columnIndex] ? `<b>${text}</b>` : text}</td>`;
    });
    return `<tr><th>${escapeHtml(activation)}</th>${cells.join('')}</tr>`;
  });
  return `<table>${head}${rows.join('')}</table>\n<p class="note">${escapeHtml(tableNote(table))}</p>`;
}

function runsTableHtml(runs: RunSummary[]): string {
  const columns = ['run', ...identityColumns, ...numericColumns, 'reach'] as (keyof RunSummary)[];
  const show = (value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(4) : String(value ?? ''));
  const head = `<tr>${columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('')}</tr>`;
  const rows = runs.map((run) => `<tr>${columns.map((column) => `<td>${escapeHtml(show(run[column]))}</td>`).join('')}</tr>`);
  return `<table class="runs">${head}${rows.join('')}</table>`;
}

const style = `body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th:first-child{text-align:left}
table.runs{font-size:.8em}.note{color:#555;font-size:.9em}figure{margin:1.5em 0}figcaption{font-weight:bold}`;

/** One self-contained HTML page: notes, paper-style tables, the per-run table and every figure as inline SVG. */
export function renderReportHtml(content: ReportContent): string {
  const sections = [
    `<h1>${escapeHtml(content.title)}</h1>`,
    ...content.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
    '<h2>Tables</h2>',
    ...content.tables.map(({ heading, table }) => `<h3>${escapeHtml(heading)}</h3>\n${paperTableHtml(table)}`),
    content.statistics,
    '<h2>Runs</h2>',
    runsTableHtml(content.runs),
    '<h2>Figures</h2>',
    ...content.figures.map((figure) => `<figure>\n<figcaption>${escapeHtml(figure.title)}</figcaption>\n${figure.svg}\n</figure>`),
    ...(content.detectionImages ?? []).map(
      ({ title, pngs }) =>
        `<figure>\n<figcaption>${escapeHtml(title)}</figcaption>\n${pngs.map((png) => `<img width="256" alt="" src="data:image/png;base64,${png.toString('base64')}">`).join('\n')}\n</figure>`,
    ),
  ];
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(content.title)}</title>\n<style>${style}</style>\n</head>\n<body>\n${sections.join('\n')}\n</body>\n</html>\n`;
}
