import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acaf, acafInterrupted } from './helpers/cli';

// End-to-end through the built CLI (dist/): `task: detection` on 30 generated 32x32 shapes scenes (24 train, 6 test),
// an eighth-width ResNet-18 with a tiny two-level YOLOv3-style head, 2 epochs on the cpu backend.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-detection-run-'));
const runs = path.join(work, 'runs');
const config = path.join(work, 'shapes-tiny.yaml');
fs.writeFileSync(
  config,
  `name: shapes-tiny
task: detection
seed: 5
backend: cpu
data: { type: shapes, images: 30, size: 32, maxShapes: 2, inputSize: 32, augment: { flip: true, minScale: 0.8, maxScale: 1.2 } }
model:
  network: { type: resnet18, variant: standard, widthMultiplier: 0.125 }
  activation: { type: ar }
  backbone: { levels: 2 }
  head: { type: yolov3, width: 8, anchors: [[[6, 6]], [[12, 12]]] }
train: { epochs: 2, batchSize: 4, optimizer: { type: adam, lr: 0.003 } }
eval: { batchSize: 8 }
output: { dir: ${runs} }
`,
);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const runDirOf = (stdout: string) => /run directory: (\S+)/.exec(stdout)![1];
const readCsv = (dir: string, file: string) =>
  fs
    .readFileSync(path.join(dir, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
/** metrics.csv without the seconds column, the only one allowed to differ between identical runs. */
const metricsSansSeconds = (dir: string) => readCsv(dir, 'metrics.csv').map((cells) => cells.slice(0, -1).join(','));
const runJson = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));

let reference: string;

test('acaf run trains a detection config and writes metrics with mAP, per-class AP, COCO detections and checkpoints', () => {
  const result = acaf(['run', config]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/epoch 2\/2 .*loss \d.*mAP@0\.5 \d\.\d{4}\s+COCO AP \d/);
  expect(result.stdout).toMatch(/best mAP@0\.5/);
  reference = runDirOf(result.stdout);

  const [header, ...rows] = readCsv(reference, 'metrics.csv');
  expect(header).toEqual([
    'epoch',
    'lr',
    'train_loss',
    'train_box_loss',
    'train_objectness_loss',
    'train_class_loss',
    'map50',
    'map50_voc07',
    'coco_ap',
    'coco_ap50',
    'coco_ap75',
    'seconds',
  ]);
  expect(rows.map((cells) => cells[0])).toEqual(['1', '2']);
  for (const cells of rows) for (const value of cells) expect(Number.isFinite(Number(value)) && value !== '').toBe(true);
  for (const column of ['map50', 'coco_ap'])
    for (const cells of rows) expect(Number(cells[header.indexOf(column)])).toBeGreaterThanOrEqual(0);

  const perClass = readCsv(reference, 'per_class_ap.csv');
  expect(perClass[0]).toEqual(['epoch', 'class', 'ap50', 'coco_ap']);
  expect(perClass.slice(1).map((cells) => `${cells[0]} ${cells[1]}`)).toEqual([
    '1 rectangle',
    '1 ellipse',
    '1 triangle',
    '2 rectangle',
    '2 ellipse',
    '2 triangle',
  ]);

  const detections = JSON.parse(fs.readFileSync(path.join(reference, 'detections.json'), 'utf8')) as {
    image_id: number;
    category_id: number;
    bbox: number[];
    score: number;
  }[];
  expect(Array.isArray(detections)).toBe(true);
  for (const detection of detections.slice(0, 50)) {
    expect([1, 2, 3]).toContain(detection.category_id);
    expect(detection.image_id % 5).toBe(0); // test images are every fifth (ids 5, 10, ...)
    expect(detection.bbox).toHaveLength(4);
  }
  expect(fs.readFileSync(path.join(reference, 'activations.csv'), 'utf8')).toMatch(/^epoch,site,type,share,a,a_min,a_max,b,/);
  for (const which of ['last', 'best']) {
    for (const file of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin', 'state.json'])
      expect(fs.existsSync(path.join(reference, 'checkpoints', which, file))).toBe(true);
  }
  expect(runJson(reference)).toMatchObject({ status: 'complete', task: 'detection', epochsCompleted: 2, best: { metric: 'map50' } });
  expect(fs.readFileSync(path.join(reference, 'config.yaml'), 'utf8')).toMatch(/^task: detection$/m);
});

test('SIGINT during epoch 2, then --resume, ends with the same metrics.csv and per-class AP as the uninterrupted run', async () => {
  const { code, stdout, stderr } = await acafInterrupted(['run', config], /epoch 1\/2/);
  expect(code).not.toBe(0);
  const dir = runDirOf(stdout);
  expect(stderr).toMatch(/interrupted during epoch 2; the last checkpoint \(epoch 1, then step [1-9]\d* of epoch 2\)/);
  expect(runJson(dir)).toMatchObject({ status: 'interrupted', epochsCompleted: 1 });

  const resumed = acaf(['run', '--resume', dir, '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(runJson(dir)).toMatchObject({ status: 'complete', epochsCompleted: 2 });
  expect(metricsSansSeconds(dir)).toEqual(metricsSansSeconds(reference));
  expect(readCsv(dir, 'per_class_ap.csv')).toEqual(readCsv(reference, 'per_class_ap.csv'));
  expect(fs.readFileSync(path.join(dir, 'detections.json'), 'utf8')).toBe(fs.readFileSync(path.join(reference, 'detections.json'), 'utf8'));
});
