import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { configToYaml, resolveConfig } from '../config';

export default class Config extends AcafCommand {
  static override description = 'Print the fully resolved config (extends merged, --set applied, defaults filled in) as YAML';
  static override examples = [
    '<%= config.bin %> config configs/quickstart.yaml',
    '<%= config.bin %> config configs/resnet50-alpha-relu.yaml --set model.activation.type=ar --set seed=2',
  ];
  static override args = { config: Args.string({ description: 'YAML experiment file', required: true }) };
  static override flags = {
    set: Flags.string({ description: 'override a key: key.path=value (value parsed as YAML); repeatable', multiple: true, default: [] }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Config);
    process.stdout.write(configToYaml(resolveConfig(args.config, { set: flags.set })));
  }
}
