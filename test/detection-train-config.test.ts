import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import '../src/plugins';
import { resolveConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { detectionDatasets } from '../src/registry';
import { generateShapesScene, defaultShapesOptions } from '../src/detection/shapes';
import { createRandom, STREAM } from '../src/data/random';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-detection-config-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const DETECTION = `name: det
task: detection
data: { type: shapes, images: 10, size: 32, inputSize: 32 }
model:
  network: { type: resnet18 }
  head: { type: yolov3 }
train: { optimizer: { type: adam } }
`;

/** Writes `yaml` to a file and resolves it; returns the config or the one-line messages of its ConfigError. */
function resolve(yaml: string) {
  const file = path.join(work, `config-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, yaml);
  try {
    return { config: resolveConfig(file), file };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { errors: error.message.split('\n'), file };
  }
}

test('a detection config gets the detection defaults; a config without task stays classification', () => {
  const { config } = resolve(DETECTION);
  expect(config).toMatchObject({
    task: 'detection',
    data: { type: 'shapes', maxShapes: 4, augment: { flip: false, minScale: 1, maxScale: 1, minBoxSize: 2 } },
    model: { activation: { type: 'relu' }, backbone: { levels: 3 }, head: { type: 'yolov3' } },
    eval: { every: 1, batchSize: 32 },
  });
  expect(config).not.toHaveProperty('protocol');
  const classification = resolve(
    'data: { type: synthetic }\nmodel: { network: { type: mlp } }\ntrain: { optimizer: { type: adam } }\n',
  ).config!;
  expect(classification).toMatchObject({ task: 'classification', protocol: 'corrected', eval: { metrics: expect.any(Array) } });
});

test('unknown head, detection dataset and task names get one line each with file, line, key path and a suggestion', () => {
  const { errors, file } = resolve(DETECTION.replace('type: yolov3', 'type: yolo3').replace('type: shapes', 'type: shape'));
  expect(errors).toEqual([
    expect.stringMatching(new RegExp(`^${file}:3: data.type: unknown detection dataset 'shape'; did you mean 'shapes'\\?`)),
    expect.stringMatching(new RegExp(`^${file}:6: model.head.type: unknown head 'yolo3'; did you mean 'yolov3'\\?`)),
  ]);
  // A classification dataset is not a detection dataset.
  expect(resolve(DETECTION.replace('type: shapes', 'type: synthetic')).errors).toEqual([
    expect.stringMatching(/:3: data.type: unknown detection dataset 'synthetic'/),
  ]);
  expect(resolve(DETECTION.replace('task: detection', 'task: detect')).errors).toEqual([
    expect.stringMatching(/:2: task: expected one of 'classification', 'detection', got 'detect'$/),
  ]);
});

test('classification-only keys are rejected in a detection config, and detection keys in a classification config', () => {
  const withMetrics = resolve(`${DETECTION}eval: { metrics: [{ type: accuracy }] }\n`);
  expect(withMetrics.errors).toEqual([
    expect.stringMatching(/:8: eval.metrics: unknown key 'metrics'; did you mean '\w+'\? allowed: every, batchSize$/),
  ]);
  expect(resolve(DETECTION.replace('network: { type: resnet18 }', 'network: { type: resnet18 }\n  outputSoftmax: true')).errors).toEqual([
    expect.stringMatching(/:6: model.outputSoftmax: unknown key 'outputSoftmax'/),
  ]);
  expect(resolve(DETECTION.replace('task: detection\n', '')).errors).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/model.head: unknown key 'head'/),
      expect.stringMatching(/data.type: unknown dataset 'shapes'/),
    ]),
  );
});

test('the shapes dataset is generated in memory, deterministic by seed, every fifth scene a test image', async () => {
  const options = {
    type: 'shapes',
    images: 10,
    size: 32,
    maxShapes: 3,
    inputSize: 32,
    augment: { flip: false, minScale: 1, maxScale: 1, minBoxSize: 2 },
  };
  const data = await detectionDatasets.get('shapes').build(options, { cwd: work, seed: 7 });
  expect(data.train.dataset.images.map((image) => image.id)).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
  expect(data.test.dataset.images.map((image) => image.id)).toEqual([5, 10]);
  expect(data.test.dataset.classes).toEqual(['rectangle', 'ellipse', 'triangle']);
  // The same scenes `acaf detection shapes --seed 7` writes: the generator's sequence from the same stream.
  const random = createRandom(7, STREAM.synthetic);
  const scenes = Array.from({ length: 10 }, () => generateShapesScene(random, { ...defaultShapesOptions(32), maxShapes: 3 }));
  expect(Array.from(data.test.dataset.images[1].boxes)).toEqual(scenes[9].objects.flatMap((object) => object.box));
  expect(data.test.samples[1].image.pixels).toEqual(scenes[9].image.pixels);
  const again = await detectionDatasets.get('shapes').build(options, { cwd: work, seed: 7 });
  expect(again.train.samples[0].image.pixels).toEqual(data.train.samples[0].image.pixels);
  const other = await detectionDatasets.get('shapes').build(options, { cwd: work, seed: 8 });
  expect(other.train.samples[0].image.pixels).not.toEqual(data.train.samples[0].image.pixels);
});
