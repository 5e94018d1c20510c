import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { readCocoDataset } from '../src/detection/coco';
import { toCocoResults } from '../src/detection/coco-results';
import { createRandom } from '../src/data/random';
import { defaultShapesOptions, generateShapesScene, SHAPE_CLASSES } from '../src/detection/shapes';
import { writeShapesDataset } from '../src/detection/shapes-writer';
import { readVocDataset } from '../src/detection/voc';
import { readRgbImage } from '../src/detection/image-io';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-shapes-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs the built CLI (`npm test` builds dist first; oclif cannot load its config inside jest's VM). */
function acaf(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(__dirname, '..', 'bin', 'run.js'), ...argv], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('synthetic shapes', () => {
  test('boxes are tight around the painted pixels and the same seed gives the same scene', () => {
    const options = { ...defaultShapesOptions(48), noise: 0 };
    for (let seed = 1; seed <= 5; seed++) {
      const scene = generateShapesScene(createRandom(seed), options);
      expect(generateShapesScene(createRandom(seed), options)).toEqual(scene);
      const { pixels, width } = scene.image;
      const at = (x: number, y: number) => pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3).join();
      const background = new Map<string, number>();
      for (let i = 0; i < pixels.length; i += 3)
        background.set(pixels.subarray(i, i + 3).join(), (background.get(pixels.subarray(i, i + 3).join()) ?? 0) + 1);
      const backgroundColour = [...background.entries()].sort((a, b) => b[1] - a[1])[0][0];
      expect(scene.objects.length).toBeGreaterThan(0);
      for (const {
        box: [x1, y1, x2, y2],
        area,
      } of scene.objects) {
        const painted = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < width && at(x, y) !== backgroundColour;
        const rowHas = (y: number) => Array.from({ length: x2 - x1 }, (_, i) => painted(x1 + i, y)).some(Boolean);
        const columnHas = (x: number) => Array.from({ length: y2 - y1 }, (_, i) => painted(x, y1 + i)).some(Boolean);
        // Every edge of the box touches the shape, and the row/column just outside it is empty.
        expect([rowHas(y1), rowHas(y2 - 1), columnHas(x1), columnHas(x2 - 1)]).toEqual([true, true, true, true]);
        expect([rowHas(y1 - 1), rowHas(y2), columnHas(x1 - 1), columnHas(x2)]).toEqual([false, false, false, false]);
        expect(area).toBeLessThanOrEqual((x2 - x1) * (y2 - y1));
      }
    }
  });

  test('VOC and COCO layouts of the same seed read back to the same images and boxes', async () => {
    const voc = path.join(root, 'voc');
    const coco = path.join(root, 'coco');
    expect(await writeShapesDataset({ out: voc, format: 'voc', images: 10, size: 32, seed: 3 })).toMatchObject({
      images: 10,
      splits: { train: 6, val: 2, trainval: 8, test: 2 },
    });
    await writeShapesDataset({ out: coco, format: 'coco', images: 10, size: 32, seed: 3 });

    const vocTest = readVocDataset({ root: voc, split: 'test', classes: SHAPE_CLASSES });
    const cocoVal = readCocoDataset({
      annotationFile: path.join(coco, 'annotations', 'instances_val.json'),
      imageDir: path.join(coco, 'val'),
    });
    expect(cocoVal.classes).toEqual(SHAPE_CLASSES);
    expect(vocTest.images.map((image) => path.basename(image.file))).toEqual(['shape_000005.jpg', 'shape_000010.jpg']);
    expect(cocoVal.images.map((image) => path.basename(image.file))).toEqual(['shape_000005.jpg', 'shape_000010.jpg']);
    vocTest.images.forEach((image, i) => {
      expect(image.boxes).toEqual(cocoVal.images[i].boxes);
      expect(image.labels).toEqual(cocoVal.images[i].labels);
    });
    const trainval = readVocDataset({ root: voc, split: 'trainval', classes: SHAPE_CLASSES });
    expect(trainval.images).toHaveLength(8);
    const decoded = await readRgbImage(trainval.images[0].file);
    expect([decoded.width, decoded.height]).toEqual([32, 32]);
    // Writing into a directory that has files is refused.
    await expect(writeShapesDataset({ out: voc, format: 'voc', images: 1, size: 32, seed: 3 })).rejects.toThrow(
      /output directory .*voc is not empty/,
    );
  });

  test('acaf detection shapes writes COCO; acaf detection eval scores ground-truth boxes as perfect detections', async () => {
    const out = path.join(root, 'shapes');
    const written = acaf(['detection', 'shapes', '--out', out, '--format', 'coco', '--images', '10', '--size', '32', '--seed', '1']);
    expect(written.stdout).toMatch(/wrote 10 images with \d+ shapes/);
    const gt = path.join(out, 'annotations', 'instances_train.json');
    const dataset = readCocoDataset({ annotationFile: gt, imageDir: path.join(out, 'train') });
    const perfect = toCocoResults(
      dataset.images.map((image) => ({
        imageId: image.id,
        boxes: image.boxes,
        labels: image.labels,
        scores: new Float32Array(image.labels.length).fill(1),
      })),
      dataset.categoryIds,
    );
    const dt = path.join(root, 'detections.json');
    fs.writeFileSync(dt, JSON.stringify(perfect));

    const summary = JSON.parse(acaf(['detection', 'eval', '--gt', gt, '--dt', dt, '--json']).stdout);
    expect(Object.keys(summary)).toEqual(['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl']);
    expect(summary.AP).toBeCloseTo(1, 12);
    expect(summary.APl).toBe(-1); // 32-pixel images have no object above 96^2
    const table = acaf(['detection', 'eval', '--gt', gt, '--dt', dt]).stdout;
    expect(table.trim().split('\n')).toHaveLength(12);
    expect(table).toContain(' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000');
    // A user error is one line naming the file, exit code 1, no stack trace.
    fs.writeFileSync(dt, '[{"image_id": 1}]');
    const failed = acaf(['detection', 'eval', '--gt', gt, '--dt', dt]);
    expect([failed.status, failed.stderr.trim()]).toEqual([1, `acaf: ${dt}: detection 0 has no numeric category_id`]);
  });
});
