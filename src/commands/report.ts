import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import type { Measure } from '../run-directory';
import { buildReport } from '../report/build-report';
import { parseMetric, parseReach, runSelectionFlags, tableFlags } from '../report/flags';
import { loadRuns } from '../report/load-runs';
import type { TableColumnKey } from '../report/paper-table';
import { writeOutput } from '../report/write-output';

export default class Report extends AcafCommand {
  static override description = 'Write one self-contained HTML page with the tables and figures of finished runs';
  static override examples = [
    '<%= config.bin %> report runs/ --out report.html',
    '<%= config.bin %> report runs/resnet50-cifar10 --metric best_test_accuracy --reach 0.9',
  ];
  static override strict = false;
  static override args = { runs: Args.string({ description: 'runs root, config-name folder(s) or run dir(s)', required: true }) };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'HTML file to write', default: 'report.html' }),
    ...tableFlags,
    ...runSelectionFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Report);
    const reach = parseReach(flags.reach);
    const metric = parseMetric(flags.metric);
    const { records, skippedNote } = loadRuns(argv as string[], { all: flags.all, measure: flags.measure as Measure });
    if (skippedNote) process.stderr.write(`acaf: ${skippedNote}\n`);
    const html = await buildReport(records, {
      metric,
      columns: flags.columns as TableColumnKey,
      reach,
      notes: skippedNote ? [skippedNote] : [],
    });
    writeOutput(html, flags.out);
    this.log(`wrote ${flags.out} (${records.length} runs)`);
  }
}
