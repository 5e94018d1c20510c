import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { acaf } from './helpers/cli';

// `acaf detect` on a detection run trained for one epoch: 24 generated 32x32 scenes, eighth-width ResNet-18, cpu.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-detect-'));
const config = path.join(work, 'shapes-tiny.yaml');
fs.writeFileSync(
  config,
  `name: shapes-tiny
task: detection
seed: 3
backend: cpu
data: { type: shapes, images: 24, size: 32, maxShapes: 2, inputSize: 32, augment: { flip: false, minScale: 1, maxScale: 1 } }
model:
  network: { type: resnet18, variant: standard, widthMultiplier: 0.125 }
  activation: { type: relu }
  backbone: { levels: 2 }
  head: { type: yolov3, width: 8, anchors: [[[6, 6]], [[12, 12]]], scoreThreshold: 0 }
train: { epochs: 1, batchSize: 4, optimizer: { type: adam, lr: 0.003 } }
eval: { batchSize: 8 }
output: { dir: ${path.join(work, 'runs')} }
`,
);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let runDir: string;
beforeAll(() => {
  const { code, stdout, stderr } = acaf(['run', config]);
  expect({ code, stderr }).toMatchObject({ code: 0 });
  runDir = /run directory: (\S+)/.exec(stdout)![1];
});

test('on the test split: COCO results that acaf detection eval accepts, its ground truth, and drawn PNGs', async () => {
  const out = path.join(work, 'detect-test');
  const { code, stdout } = acaf(['detect', runDir, 'test', '--out', out, '--images', '2', '--min-score', '1']);
  expect(code).toBe(0);
  expect(stdout).toMatch(/detections on 4 images/); // the test split of the 24 generated scenes

  const results = JSON.parse(fs.readFileSync(path.join(out, 'detections.json'), 'utf8'));
  expect(results.length).toBeGreaterThan(0);
  expect(Object.keys(results[0]).sort()).toEqual(['bbox', 'category_id', 'image_id', 'score']);
  const evaluation = acaf([
    'detection',
    'eval',
    '--gt',
    path.join(out, 'ground-truth.json'),
    '--dt',
    path.join(out, 'detections.json'),
    '--json',
  ]);
  expect(evaluation.code).toBe(0);
  const summary = JSON.parse(evaluation.stdout);
  expect(summary.AP).toBeGreaterThanOrEqual(0);
  // The mAP line detect prints is the same evaluation of the same files.
  expect(stdout).toContain(`COCO AP ${summary.AP.toFixed(3)}`);

  // 32x32 images drawn 12x larger (384 px); the first ground-truth box's outline is drawn in black and white (grey
  // where antialiased) over the coloured scene. --min-score 1 keeps detections off the picture.
  const pngs = fs.readdirSync(path.join(out, 'images')).sort();
  expect(pngs).toHaveLength(2);
  const { data, info } = await sharp(path.join(out, 'images', pngs[0]))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([384, 384]);
  const truth = JSON.parse(fs.readFileSync(path.join(out, 'ground-truth.json'), 'utf8'));
  const first = truth.annotations.find((a: { image_id: number }) => a.image_id === truth.images[0].id);
  const [x, y, w] = first.bbox.map((v: number) => Math.round(v * 12));
  const edge = Array.from({ length: Math.max(1, w - 4) }, (_, i) => {
    const at = (y * 384 + x + 2 + i) * 3;
    return [data[at], data[at + 1], data[at + 2]];
  });
  expect(edge.every(([r, g, b]) => r === g && g === b)).toBe(true);
});

test('on image files: detections with image ids in file order, no ground truth', async () => {
  const folder = path.join(work, 'photos');
  fs.mkdirSync(folder);
  await sharp({ create: { width: 40, height: 24, channels: 3, background: '#3080c0' } })
    .png()
    .toFile(path.join(folder, 'b.png'));
  await sharp({ create: { width: 20, height: 30, channels: 3, background: '#c08030' } })
    .jpeg()
    .toFile(path.join(folder, 'a.jpg'));
  const out = path.join(work, 'detect-photos');
  const { code } = acaf(['detect', runDir, folder, '--out', out, '--min-score', '0.5']);
  expect(code).toBe(0);
  expect(fs.existsSync(path.join(out, 'ground-truth.json'))).toBe(false);
  expect(fs.readdirSync(path.join(out, 'images')).sort()).toEqual(['000001-a.png', '000002-b.png']);
  const ids = new Set(JSON.parse(fs.readFileSync(path.join(out, 'detections.json'), 'utf8')).map((r: { image_id: number }) => r.image_id));
  for (const id of ids) expect([1, 2]).toContain(id);
});

test('acaf report shows a few test images with detections for a detection run', () => {
  const out = path.join(work, 'report.html');
  const { code, stderr } = acaf(['report', runDir, '--out', out]);
  expect({ code, stderr: code ? stderr : '' }).toEqual({ code: 0, stderr: '' });
  const html = fs.readFileSync(out, 'utf8');
  expect(html).toContain(`Detections of ${runDir}`);
  // The 4 test scenes, each as an inline PNG.
  expect(html.match(/<img width="256" alt="" src="data:image\/png;base64,iVBORw0KGgo/g)).toHaveLength(4);
});

test.each([
  [
    ['detect', '/nonexistent-run', 'test', '--out', '/tmp/x'],
    /^acaf: \/nonexistent-run is not a run directory: .*config\.yaml is missing$/m,
  ],
  [['detect', '<run>', 'nowhere.png', '--out', '<work>/x'], /^acaf: no such image file or folder: nowhere\.png/m],
  [
    ['detect', '<run>', 'test', '--out', '<work>/x', '--checkpoint', 'best', '--min-score', '2'],
    /^acaf: --min-score: '2' is not a number in \[0, 1\]$/m,
  ],
])('%j fails with one line', (args, message) => {
  const { code, stderr } = acaf(args.map((arg) => arg.replace('<run>', runDir).replace('<work>', work)));
  expect(code).not.toBe(0);
  expect(stderr).toMatch(message);
  expect(stderr).not.toMatch(/\n\s+at /);
});
