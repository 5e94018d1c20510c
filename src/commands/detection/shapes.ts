import { Flags } from '@oclif/core';
import { AcafCommand } from '../../cli/base-command';
import { writeShapesDataset } from '../../detection/shapes-writer';

export default class DetectionShapes extends AcafCommand {
  static override description =
    'Write the synthetic shapes detection dataset (rectangles, ellipses, triangles with exact boxes) in PASCAL VOC or COCO layout';
  static override examples = [
    '<%= config.bin %> detection shapes --out data/shapes-voc --format voc --images 500 --size 64 --seed 1',
    '<%= config.bin %> detection shapes --out data/shapes-coco --format coco --images 200',
  ];
  static override flags = {
    out: Flags.string({ description: 'output directory (created; must be empty)', required: true }),
    format: Flags.string({ description: 'on-disk layout', options: ['voc', 'coco'], default: 'voc' }),
    images: Flags.integer({ description: 'number of images', default: 500 }),
    size: Flags.integer({ description: 'image side in pixels', default: 64 }),
    seed: Flags.integer({ description: 'random seed; the same seed writes the same dataset', default: 1 }),
    'max-shapes': Flags.integer({ description: 'at most this many shapes per image', default: 4 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DetectionShapes);
    const summary = await writeShapesDataset({
      out: flags.out,
      format: flags.format as 'voc' | 'coco',
      images: flags.images,
      size: flags.size,
      seed: flags.seed,
      maxShapes: flags['max-shapes'],
    });
    const splits = Object.entries(summary.splits)
      .map(([split, count]) => `${split} ${count}`)
      .join(', ');
    this.log(`wrote ${summary.images} images with ${summary.objects} shapes to ${flags.out} (${flags.format}: ${splits})`);
  }
}
