import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { resolveConfigs } from '../config';

export default class Validate extends AcafCommand {
  static override description = 'Check experiment configs against the schema without training';
  static override examples = [
    '<%= config.bin %> validate configs/quickstart.yaml',
    '<%= config.bin %> validate configs/paper/*.yaml',
    '<%= config.bin %> validate configs/quickstart.yaml --set train.epochs=3',
  ];
  static override strict = false;
  static override args = { config: Args.string({ description: 'YAML experiment file(s)', required: true }) };
  static override flags = {
    set: Flags.string({ description: 'override a key: key.path=value (value parsed as YAML); repeatable', multiple: true, default: [] }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Validate);
    const configs = resolveConfigs(argv as string[], { set: flags.set });
    for (const [index, config] of configs.entries()) this.log(`ok  ${(argv as string[])[index]} (${config.name})`);
  }
}
