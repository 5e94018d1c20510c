import { Args, Flags } from '@oclif/core';
import { stringify } from 'csv-stringify/sync';
import { AcafCommand } from '../../cli/base-command';
import { activationCurve } from '../../builders/activations/inspect';
import { parseParameterValues, parseRange } from '../../builders/activations/curve-options';

export default class ActivationsShape extends AcafCommand {
  static override description = 'Print f(z) of a registered activation as CSV z,f, with chosen parameter values';
  static override examples = [
    '<%= config.bin %> activations shape as',
    '<%= config.bin %> activations shape ar --param b=0 --range=-3,3,61',
    '<%= config.bin %> activations shape lrelu --param slope=0.1',
  ];
  static override args = { type: Args.string({ description: 'a registered activation: see `acaf list activations`', required: true }) };
  static override flags = {
    param: Flags.string({ description: 'a parameter or constant value, name=number; repeatable', multiple: true, default: [] }),
    range: Flags.string({ description: 'from,to,points of the z grid', default: '-5,5,101' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ActivationsShape);
    const curve = activationCurve(args.type, parseParameterValues(flags.param), parseRange(flags.range));
    process.stdout.write(stringify(curve, { header: true, columns: ['z', 'f'] }));
  }
}
