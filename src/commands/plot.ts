import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import type { Measure } from '../run-directory';
import { buildFigures } from '../report/figures';
import { spreadBands, SpreadBand } from '../report/figures/convergence';
import { parseSeriesKeys } from '../report/figures/series';
import { runSelectionFlags } from '../report/flags';
import { loadRuns } from '../report/load-runs';
import { figureFormats, parseFigureFormats, writeFigures } from '../report/write-figures';

export default class Plot extends AcafCommand {
  static override description =
    'Plot finished runs: test accuracy and training loss per epoch (one mean line per activation, or per --by, with the spread over seeds as a band) and learned activation shapes per call site';
  static override examples = [
    '<%= config.bin %> plot runs/',
    '<%= config.bin %> plot runs/resnet50-cifar10 --out figures --format svg,pdf',
    '<%= config.bin %> plot runs/ --by optimizer --band std',
    '<%= config.bin %> plot runs/ --by model.activation.share,activation --format png,json',
  ];
  static override strict = false;
  static override args = { runs: Args.string({ description: 'runs root, config-name folder(s) or run dir(s)', required: true }) };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'folder for the figures', default: 'plots' }),
    format: Flags.string({
      description: `comma-separated, any of: ${figureFormats.join(', ')} (json: the vega-lite spec)`,
      default: 'svg,png',
    }),
    by: Flags.string({
      description: 'split the convergence curves by these keys: identity columns (activation, optimizer, seed...) or config key paths',
      default: 'activation',
    }),
    band: Flags.string({
      description: 'spread around each mean curve: min to max over the runs, mean ± one sample std, or none',
      options: [...spreadBands],
      default: 'minmax',
    }),
    ...runSelectionFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Plot);
    const formats = parseFigureFormats(flags.format);
    const { records, skippedNote } = loadRuns(argv as string[], { all: flags.all, measure: flags.measure as Measure });
    if (skippedNote) process.stderr.write(`acaf: ${skippedNote}\n`);
    const figures = buildFigures(records, { by: parseSeriesKeys(flags.by, records), band: flags.band as SpreadBand });
    const written = await writeFigures(figures, flags.out, formats);
    for (const file of written) this.log(`wrote ${file}`);
  }
}
