import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import type { Measure } from '../run-directory';
import { AcafError } from '../errors';
import { groupRuns, latestPerSeed } from '../report/aggregate';
import { Baseline, compareWithBaseline, parseBaseline } from '../report/baseline';
import { groupsToCsv, runsToCsv } from '../report/export-csv';
import { parseGroupKeys, parseMetric, parseReach, runSelectionFlags, tableFlags } from '../report/flags';
import { buildGroupTable, renderGroupLatex, renderGroupMarkdown } from '../report/group-table';
import { loadRuns } from '../report/load-runs';
import { buildPaperTable, renderLatex, renderMarkdown, TableColumnKey } from '../report/paper-table';
import { IdentityColumn, NumericColumn, RunSummary, summarizeRun } from '../report/summary';
import { writeOutput } from '../report/write-output';

interface RenderOptions {
  format: string;
  by?: IdentityColumn[];
  baseline?: Baseline;
  metric: NumericColumn;
  columns: TableColumnKey;
  reach: number;
}

export default class Export extends AcafCommand {
  static override description =
    'Export finished runs as one tidy CSV row per run, grouped over seeds (--by, with --baseline statistics), or as a paper-style table (--format md|latex)';
  static override examples = [
    '<%= config.bin %> export runs/ --out results.csv',
    '<%= config.bin %> export runs/ --by network,activation --format md',
    '<%= config.bin %> export runs/ --by network,activation --baseline activation=relu --format latex --out table.tex',
    '<%= config.bin %> export runs/ --by network,activation --reach 0.8',
    '<%= config.bin %> export runs/resnet50-cifar10 --format md --metric best_test_accuracy',
    '<%= config.bin %> export runs/ --format latex --columns dataset --out table.tex',
  ];
  static override strict = false;
  static override args = { runs: Args.string({ description: 'runs root, config-name folder(s) or run dir(s)', required: true }) };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'file to write (default: stdout)' }),
    format: Flags.string({
      description: 'csv: tidy rows; md / latex: activations x networks table of --metric, or with --by one row per group',
      options: ['csv', 'md', 'latex'],
      default: 'csv',
    }),
    by: Flags.string({
      description:
        'group the runs sharing these keys (comma-separated) over distinct seeds (a re-run of a seed replaces it): mean and sample std (n - 1)',
    }),
    baseline: Flags.string({
      description:
        'with --by: compare each group with the group having this key=value (e.g. activation=relu), paired by seed: difference, 95% CI, paired t-test and exact sign-flip p-values',
    }),
    ...tableFlags,
    ...runSelectionFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Export);
    const reach = parseReach(flags.reach);
    if (flags.baseline !== undefined && flags.by === undefined) throw new AcafError('--baseline needs --by (the groups to compare)', 2);
    const by = flags.by === undefined ? undefined : parseGroupKeys(flags.by);
    const baseline = flags.baseline === undefined ? undefined : parseBaseline(flags.baseline, by!);
    const metric = parseMetric(flags.metric);
    const { records, skippedNote } = loadRuns(argv as string[], { all: flags.all, measure: flags.measure as Measure });
    if (skippedNote) process.stderr.write(`acaf: ${skippedNote}\n`);
    const runs = records.map((record) => summarizeRun(record, reach));
    const options = { format: flags.format, by, baseline, metric, columns: flags.columns as TableColumnKey, reach };
    writeOutput(this.render(runs, options), flags.out);
    if (flags.out) this.log(`wrote ${flags.out} (${runs.length} runs)`);
  }

  private render(runs: RunSummary[], { format, by, baseline, metric, columns, reach }: RenderOptions): string {
    if (by === undefined) {
      if (format === 'md') return renderMarkdown(buildPaperTable(latestPerSeed(runs), metric, columns));
      if (format === 'latex') return renderLatex(buildPaperTable(latestPerSeed(runs), metric, columns));
      return runsToCsv(runs);
    }
    const groups = groupRuns(latestPerSeed(runs), by);
    const comparisons = baseline && compareWithBaseline(groups, baseline, metric);
    if (format === 'csv') return groupsToCsv(groups, by, reach, comparisons);
    const table = buildGroupTable(groups, by, metric, baseline && comparisons ? { baseline, comparisons } : undefined);
    return format === 'md' ? renderGroupMarkdown(table) : renderGroupLatex(table);
  }
}
