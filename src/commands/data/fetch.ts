import * as path from 'path';
import { Args, Flags } from '@oclif/core';
import { AcafCommand } from '../../cli/base-command';
import { FETCHABLE, fetchDataset, FetchableDataset } from '../../data/fetch';
import { cacheDir } from '../../data/locate';

export default class DataFetch extends AcafCommand {
  static override description = 'Download a dataset from its official URL into the acaf cache (~/.cache/acaf, or $ACAF_CACHE), checking its checksum';
  static override examples = [
    '<%= config.bin %> data fetch cifar10',
    '<%= config.bin %> data fetch cifar100 --format python',
    '<%= config.bin %> data fetch fashion-mnist --dir ./datasets',
    '<%= config.bin %> data fetch cifar10 --mirror http://datasets.lab.internal/cifar',
  ];
  static override args = {
    name: Args.string({ description: 'dataset to download', required: true, options: [...FETCHABLE] }),
  };
  static override flags = {
    dir: Flags.string({ description: 'folder to put the dataset in, instead of the cache' }),
    mirror: Flags.string({
      description: 'base URL of a mirror holding the official file names (default: $ACAF_DATA_MIRROR, else the official URLs)',
    }),
    format: Flags.string({ description: "CIFAR distribution: 'binary' (what the paper's code reads) or 'python'", options: ['binary', 'python'], default: 'binary' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DataFetch);
    await fetchDataset(args.name as FetchableDataset, {
      root: flags.dir ? path.resolve(flags.dir) : cacheDir(),
      format: flags.format as 'binary' | 'python',
      progress: process.stderr.isTTY ? process.stderr : undefined,
      mirror: flags.mirror,
      log: (line) => this.log(line),
    });
  }
}
