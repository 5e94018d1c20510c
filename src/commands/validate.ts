import { Args } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { setFlag } from '../cli/flags';
import { resolveExperiments } from '../config';
import { ConfigError } from '../errors';

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
    set: setFlag,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Validate);
    const issues: ConfigError['issues'] = [];
    for (const file of argv as string[]) {
      try {
        const runs = resolveExperiments(file, { set: flags.set });
        this.log(`ok  ${file} (${runs.length === 1 ? runs[0].name : `${runs.length} runs`})`);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        issues.push(...error.issues);
      }
    }
    if (issues.length) throw new ConfigError(issues);
  }
}
