import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { AcafError } from '../errors';
import { groupRuns } from '../report/aggregate';
import { groupsToCsv, runsToCsv } from '../report/export-csv';
import { parseGroupKeys, parseMetric, parseReach, runSelectionFlags, tableFlags } from '../report/flags';
import { loadRuns } from '../report/load-runs';
import { buildPaperTable, renderLatex, renderMarkdown, TableColumnKey } from '../report/paper-table';
import { NumericColumn, RunSummary, summarizeRun } from '../report/summary';
import { writeOutput } from '../report/write-output';

export default class Export extends AcafCommand {
  static override description =
    'Export finished runs as one tidy CSV row per run, aggregated over seeds (--by), or as a paper-style table (--format md|latex)';
  static override examples = [
    '<%= config.bin %> export runs/ --out results.csv',
    '<%= config.bin %> export runs/ --by network,activation --reach 0.8',
    '<%= config.bin %> export runs/resnet50-cifar10 --format md --metric best_test_accuracy',
    '<%= config.bin %> export runs/ --format latex --columns dataset --out table.tex',
  ];
  static override strict = false;
  static override args = { runs: Args.string({ description: 'runs root, config-name folder(s) or run dir(s)', required: true }) };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'file to write (default: stdout)' }),
    format: Flags.string({
      description: 'csv: tidy rows; md / latex: activations x networks table of --metric',
      options: ['csv', 'md', 'latex'],
      default: 'csv',
    }),
    by: Flags.string({
      description: 'csv only: aggregate over the runs sharing these keys (comma-separated), mean and sample std (n - 1)',
    }),
    ...tableFlags,
    ...runSelectionFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Export);
    const reach = parseReach(flags.reach);
    if (flags.by !== undefined && flags.format !== 'csv') {
      throw new AcafError(
        `--by applies to --format csv; the ${flags.format} table always has activations as rows and ${flags.columns} as columns`,
        2,
      );
    }
    const metric = parseMetric(flags.metric);
    const { records, skippedNote } = loadRuns(argv as string[], { all: flags.all });
    if (skippedNote) process.stderr.write(`acaf: ${skippedNote}\n`);
    const runs = records.map((record) => summarizeRun(record, reach));
    writeOutput(this.render(runs, flags.format, flags.by, metric, flags.columns as TableColumnKey, reach), flags.out);
    if (flags.out) this.log(`wrote ${flags.out} (${runs.length} runs)`);
  }

  private render(
    runs: RunSummary[],
    format: string,
    by: string | undefined,
    metric: NumericColumn,
    columns: TableColumnKey,
    reach: number,
  ): string {
    if (format === 'md') return renderMarkdown(buildPaperTable(runs, metric, columns));
    if (format === 'latex') return renderLatex(buildPaperTable(runs, metric, columns));
    if (by === undefined) return runsToCsv(runs);
    const keys = parseGroupKeys(by);
    return groupsToCsv(groupRuns(runs, keys), keys, reach);
  }
}
