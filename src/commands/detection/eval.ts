import { Flags } from '@oclif/core';
import { AcafCommand } from '../../cli/base-command';
import { evaluateCoco, formatCocoSummary } from '../../detection/coco-eval';
import { readCocoInstances, readCocoResults } from '../../detection/coco-format';

export default class DetectionEval extends AcafCommand {
  static override description =
    'Evaluate COCO-format detections against COCO ground truth as pycocotools does (bbox): AP@[.5:.95], AP50, AP75, AP and AR by area, AR@1/10/100';
  static override examples = [
    '<%= config.bin %> detection eval --gt data/coco/annotations/instances_val2017.json --dt runs/yolo/20240101-120000/detections.json',
    '<%= config.bin %> detection eval --gt shapes/annotations/instances_val.json --dt detections.json --json',
  ];
  static override flags = {
    gt: Flags.string({ description: 'ground truth: a COCO instances_*.json file', required: true }),
    dt: Flags.string({ description: 'detections: a COCO results JSON array of { image_id, category_id, bbox, score }', required: true }),
    json: Flags.boolean({
      description: 'print the 12 numbers as JSON (AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl)',
      default: false,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DetectionEval);
    const { summary } = evaluateCoco(readCocoInstances(flags.gt), readCocoResults(flags.dt));
    if (flags.json) this.log(JSON.stringify(summary, null, 2));
    else for (const line of formatCocoSummary(summary)) this.log(line);
  }
}
