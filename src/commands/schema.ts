import { Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { buildConfigSchema } from '../config';
import { configReferenceMarkdown } from '../config/reference';

export default class Schema extends AcafCommand {
  static override description = 'Print the JSON schema that validates experiment configs (core keys plus every registered plugin)';
  static override examples = [
    '<%= config.bin %> schema > acaf.schema.json',
    '<%= config.bin %> schema --markdown > docs/config-reference.md',
  ];
  static override flags = { markdown: Flags.boolean({ description: 'print the config reference as Markdown instead', default: false }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Schema);
    process.stdout.write(flags.markdown ? configReferenceMarkdown() : `${JSON.stringify(buildConfigSchema(), null, 2)}\n`);
  }
}
