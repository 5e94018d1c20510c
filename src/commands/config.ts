import { Args } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import { configToYaml, resolveExperiments } from '../config';

export default class Config extends AcafCommand {
  static override description =
    'Print the fully resolved config (extends merged, --set applied, defaults filled in) as YAML; a matrix prints one document per run';
  static override examples = [
    '<%= config.bin %> config configs/quickstart.yaml',
    '<%= config.bin %> config configs/resnet50-alpha-relu.yaml --set model.activation.type=ar --set seed=2',
  ];
  static override args = { config: Args.string({ description: 'YAML experiment file', required: true }) };
  static override flags = {
    set: setFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Config);
    const runs = resolveExperiments(args.config, { set: flags.set });
    process.stdout.write(runs.map(configToYaml).join('---\n'));
  }
}
