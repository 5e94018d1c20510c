import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../cli/base-command';
import { AcafError } from '../errors';
import { registries, RegistryKind } from '../registry';

export default class List extends AcafCommand {
  static override description = 'List registered plugins by kind, with a one-line description each';
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list activations', '<%= config.bin %> list networks --json'];
  static override args = {
    kind: Args.string({ description: `one of: ${Object.keys(registries).join(', ')}`, required: false }),
  };
  static override flags = { json: Flags.boolean({ description: 'print JSON: { kind: [{ name, description }] }', default: false }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(List);
    const kinds = this.kinds(args.kind);
    if (flags.json) {
      const listing = Object.fromEntries(
        kinds.map((kind) => [kind, registries[kind].list().map(({ name, description }) => ({ name, description }))]),
      );
      this.log(JSON.stringify(listing, null, 2));
      return;
    }
    for (const kind of kinds) {
      const plugins = registries[kind].list();
      this.log(`${kind} (${registries[kind].description}):`);
      const width = Math.max(0, ...plugins.map((plugin) => plugin.name.length));
      for (const plugin of plugins) this.log(`  ${plugin.name.padEnd(width)}  ${plugin.description}`);
      if (!plugins.length) this.log('  (none registered)');
      this.log('');
    }
  }

  private kinds(kind: string | undefined): RegistryKind[] {
    if (kind === undefined) return Object.keys(registries) as RegistryKind[];
    if (kind in registries) return [kind as RegistryKind];
    throw new AcafError(`unknown plugin kind '${kind}'; kinds: ${Object.keys(registries).join(', ')}`, 2);
  }
}
