import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { SHAPE_CLASSES } from '../src/detection/shapes';
import { writeShapesDataset } from '../src/detection/shapes-writer';
import { readVocDataset } from '../src/detection/voc';
import { DetectionRunSpec, runDetection } from '../src/detection/training/run-detection';
import { withDefaults } from './helpers/network-fixtures';

tf.setBackend('cpu');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-detection-train-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function spec(epochs: number, resume?: string): Promise<DetectionRunSpec> {
  const data = path.join(root, 'shapes');
  if (!fs.existsSync(data)) await writeShapesDataset({ out: data, format: 'voc', images: 15, size: 32, seed: 3 });
  return {
    name: 'shapes-tiny',
    seed: 5,
    outputDir: path.join(root, 'runs'),
    backend: { name: 'cpu', reason: 'test', skipped: [] },
    configYaml: 'name: shapes-tiny\n',
    model: {
      network: withDefaults('resnet18', { variant: 'standard', widthMultiplier: 0.125 }),
      activation: { type: 'relu' },
      head: { type: 'yolov3', width: 8, anchors: [[[6, 6]], [[12, 12]]] },
      backbone: { levels: 2 },
    },
    inputSize: 32,
    train: { epochs, batchSize: 3, optimizer: { type: 'adam', lr: 0.003 }, schedule: { type: 'constant' }, augment: { flip: true, minScale: 0.8, maxScale: 1.2, minBoxSize: 2 } },
    evalEvery: 1,
    evalBatchSize: 8,
    data: { train: readVocDataset({ root: data, split: 'trainval', classes: SHAPE_CLASSES }), test: readVocDataset({ root: data, split: 'test', classes: SHAPE_CLASSES }) },
    resume,
  };
}

const readCsv = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split(','));

test('a detection run writes metrics, per-class AP, COCO detections and checkpoints, and resumes', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const dir = await runDetection(await spec(1));
  expect(tf.memory().numTensors).toBe(tensorsBefore);

  const [header, row] = readCsv(path.join(dir, 'metrics.csv'));
  expect(header).toEqual(['epoch', 'lr', 'train_loss', 'train_box_loss', 'train_objectness_loss', 'train_class_loss', 'map50', 'map50_voc07', 'coco_ap', 'coco_ap50', 'coco_ap75', 'seconds']);
  for (const value of row) expect(Number.isFinite(Number(value))).toBe(true);
  const map50 = Number(row[header.indexOf('map50')]);
  expect(map50).toBeGreaterThanOrEqual(0);
  expect(map50).toBeLessThanOrEqual(1);

  const perClass = readCsv(path.join(dir, 'per_class_ap.csv'));
  expect(perClass[0]).toEqual(['epoch', 'class', 'ap50', 'coco_ap']);
  expect(perClass.slice(1).map((cells) => cells[1])).toEqual(['rectangle', 'ellipse', 'triangle']);

  const detections = JSON.parse(fs.readFileSync(path.join(dir, 'detections.json'), 'utf8')) as { image_id: number; category_id: number; bbox: number[]; score: number }[];
  for (const detection of detections.slice(0, 20)) {
    expect([1, 2, 3]).toContain(detection.category_id);
    expect(detection.bbox).toHaveLength(4);
  }
  for (const which of ['last']) expect(fs.existsSync(path.join(dir, 'checkpoints', which, 'state.json'))).toBe(true);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'))).toMatchObject({ status: 'complete', epochsCompleted: 1 });

  // Resuming to 2 epochs keeps epoch 1's row and appends epoch 2.
  await runDetection(await spec(2, dir));
  expect(readCsv(path.join(dir, 'metrics.csv')).slice(1).map((cells) => cells[0])).toEqual(['1', '2']);
  expect(readCsv(path.join(dir, 'metrics.csv'))[1]).toEqual(row);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'))).toMatchObject({ status: 'complete', epochsCompleted: 2 });
});
