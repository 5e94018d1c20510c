import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { buildFigures } from '../report/figures';
import { runSelectionFlags } from '../report/flags';
import { loadRuns } from '../report/load-runs';
import { figureFormats, parseFigureFormats, writeFigures } from '../report/write-figures';

export default class Plot extends AcafCommand {
  static override description =
    'Plot finished runs: test accuracy and training loss per epoch (one line per activation, mean over seeds) and learned activation shapes per call site';
  static override examples = [
    '<%= config.bin %> plot runs/',
    '<%= config.bin %> plot runs/resnet50-cifar10 --out figures --format svg',
    '<%= config.bin %> plot runs/ --format svg,png,json',
  ];
  static override strict = false;
  static override args = { runs: Args.string({ description: 'runs root, config-name folder(s) or run dir(s)', required: true }) };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'folder for the figures', default: 'plots' }),
    format: Flags.string({
      description: `comma-separated, any of: ${figureFormats.join(', ')} (json: the vega-lite spec)`,
      default: 'svg,png',
    }),
    ...runSelectionFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Plot);
    const formats = parseFigureFormats(flags.format);
    const { records, skippedNote } = loadRuns(argv as string[], { all: flags.all });
    if (skippedNote) process.stderr.write(`acaf: ${skippedNote}\n`);
    const written = await writeFigures(buildFigures(records), flags.out, formats);
    for (const file of written) this.log(`wrote ${file}`);
  }
}
