import { Flags } from '@oclif/core';
import { AcafCommand } from '../../cli/base-command';
import { loadDataset } from '../../data';
import { summarizeDataset } from '../../data/summary';
import { datasets } from '../../registry';

export default class DataInfo extends AcafCommand {
  static override description = "Load a dataset and print each split's size, image shape, class names and label counts";
  static override examples = [
    '<%= config.bin %> data info --dataset fashion-mnist --dir data/fashion-mnist-sample',
    '<%= config.bin %> data info --dataset cifar10 --dir ~/.cache/acaf/cifar-10-batches-bin --json',
    '<%= config.bin %> data info --dataset cifar100 --option labels=coarse',
  ];
  static override flags = {
    dataset: Flags.string({ description: `dataset type: ${datasets.names().join(', ')}`, required: true }),
    dir: Flags.string({ description: "the dataset's folder (default: where the dataset plugin looks)" }),
    option: Flags.string({ description: 'another dataset option, key=value (value parsed as JSON when it can be); repeatable', multiple: true, default: [] }),
    json: Flags.boolean({ description: 'print JSON: { splits: { train: { size, shape, labelCounts }, test: ... }, classes }', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DataInfo);
    const options: Record<string, unknown> = { type: flags.dataset, ...(flags.dir ? { dir: flags.dir } : {}) };
    for (const pair of flags.option) {
      const [key, ...rest] = pair.split('=');
      options[key] = parseValue(rest.join('='));
    }
    const summary = summarizeDataset(await loadDataset({ ...options, type: flags.dataset }, { cwd: process.cwd(), seed: 1 }));
    if (flags.json) {
      this.log(JSON.stringify(summary, null, 2));
      return;
    }
    for (const [name, split] of Object.entries(summary.splits)) {
      this.log(`${name}: ${split.size} images of ${split.shape.join('x')}`);
    }
    const width = Math.max(...summary.classes.map((name) => name.length));
    this.log('classes (train / test images):');
    summary.classes.forEach((name, label) => {
      this.log(`  ${String(label).padStart(3)} ${name.padEnd(width)}  ${summary.splits.train.labelCounts[label]} / ${summary.splits.test.labelCounts[label]}`);
    });
  }
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
