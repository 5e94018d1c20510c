import * as tf from '@tensorflow/tfjs';
import { Command, Flags } from '@oclif/core';
import { AcafError } from '../errors';
import '../plugins';

/**
 * Every acaf command: plugins registered, `--verbose`, and user errors printed as one line per problem
 * (no stack trace unless --verbose) with a non-zero exit code.
 */
export abstract class AcafCommand extends Command {
  static override baseFlags = {
    verbose: Flags.boolean({ description: 'print stack traces and debugging detail', default: false }),
  };

  override async init(): Promise<void> {
    await super.init();
    // acaf says which backend it uses and why; tfjs's own "install tfjs-node" banner would only confuse.
    tf.env().set('PROD', true);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error.oclif?.exit !== undefined && !(error instanceof AcafError)) {
      // oclif's own exits and flag-parsing errors already read well.
      return super.catch(error);
    }
    const verbose = this.argv.includes('--verbose');
    const lines = (error instanceof AcafError ? error.message : `internal error: ${error.message}`).split('\n');
    for (const line of lines) process.stderr.write(`acaf: ${line}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    else if (!(error instanceof AcafError)) process.stderr.write('acaf: run again with --verbose for the stack trace\n');
    this.exit(error instanceof AcafError ? error.exitCode : 1);
  }
}
