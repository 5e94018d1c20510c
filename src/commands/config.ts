import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import { textTable } from '../cli/text-table';
import { configToYaml, resolveExperiments } from '../config';
import { cellStatus, resolveSweep } from '../sweep/cells';

export default class Config extends AcafCommand {
  static override description =
    'Print the fully resolved config (extends merged, --set applied, defaults filled in) as YAML; a matrix prints one document per run. ' +
    '--list prints the runs instead: index (for acaf run --index), name and status';
  static override examples = [
    '<%= config.bin %> config configs/quickstart.yaml',
    '<%= config.bin %> config configs/resnet50-alpha-relu.yaml --set model.activation.type=ar --set seed=2',
    '<%= config.bin %> config configs/paper/cifar10-resnet50.yaml --list',
  ];
  static override args = { config: Args.string({ description: 'YAML experiment file', required: true }) };
  static override flags = {
    set: setFlag,
    list: Flags.boolean({
      description: 'list the runs: index, name, status (pending, running, complete, failed, interrupted)',
      default: false,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Config);
    if (flags.list) {
      const rows = resolveSweep(args.config, flags.set).cells.map(({ index, config }) => [
        String(index),
        config.name,
        cellStatus(config).state,
      ]);
      this.log(textTable(['index', 'name', 'status'], rows, { rightAligned: [0] }));
      return;
    }
    const runs = resolveExperiments(args.config, { set: flags.set });
    process.stdout.write(runs.map((run) => configToYaml(run, { launcher: true })).join('---\n'));
  }
}
