import { groupRuns, latestPerSeed } from './aggregate';
import { adaptiveClaimsHtml, checkAdaptiveClaims } from './adaptive-claims';
import { detectionImages } from './detection-images';
import { buildFigures } from './figures';
import { renderReportHtml } from './html';
import { buildPaperTable, TableColumnKey } from './paper-table';
import { renderSvg } from './render';
import { NumericColumn, summarizeRun } from './summary';
import type { RunRecord } from './types';

export interface ReportOptions {
  metric: NumericColumn;
  columns: TableColumnKey;
  reach: number;
  /** Extra lines for the top of the page (e.g. skipped runs). */
  notes?: string[];
}

/**
 * The HTML report of a set of runs: one paper-style table per experiment family (runs sharing the dataset, or the
 * network with `columns: dataset`, plus optimizer and protocol), the statistics of adaptive against fixed activations,
 * the tidy per-run table, and every figure.
 */
export async function buildReport(records: RunRecord[], options: ReportOptions): Promise<string> {
  const runs = records.map((record) => summarizeRun(record, options.reach));
  const rowsOf = options.columns === 'network' ? 'dataset' : 'network';
  const families = groupRuns(latestPerSeed(runs), [rowsOf, 'optimizer', 'protocol']);
  const tables = families.map((family) => ({
    heading: `${family.key[rowsOf]}, ${family.key.optimizer}, ${family.key.protocol} protocol`,
    table: buildPaperTable(family.runs, options.metric, options.columns),
  }));
  const figures = [];
  for (const figure of buildFigures(records)) figures.push({ title: figure.title, svg: await renderSvg(figure.spec) });
  const detection = await detectionImages(records);
  const notes = [
    `${runs.length} runs; tables show ${options.metric}; epochs_to_reach uses test accuracy ${options.reach}.`,
    ...(options.notes ?? []),
    ...detection.notes,
  ];
  const statistics = adaptiveClaimsHtml(checkAdaptiveClaims(runs, options.metric), options.metric);
  return renderReportHtml({ title: 'acaf report', tables, runs, figures, notes, statistics, detectionImages: detection.images });
}
