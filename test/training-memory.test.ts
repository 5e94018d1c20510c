import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { resolveConfig } from '../src/config';
import { datasetGeometry, loadDataset } from '../src/data/load';
import { memoryLimitOf, planFromConfig, refuseIfOverLimit } from '../src/memory/config-memory';
import { measureOptimizer } from '../src/memory/training-memory';
import { withZeroWeights } from '../src/memory/zero-weights';
import { optimizers } from '../src/registry';
import { acaf, repoRoot } from './helpers/cli';
import { oneDnnBackendReport } from 'tfjs-wasm-training';

const oneDnnBuilt = 'version' in oneDnnBackendReport().native;

/**
 * The training-memory estimate (src/memory) and the refusal of steps the wasm heap cannot hold: the optimizer state
 * against each algorithm's definition, the estimate against a step's measured wasm heap, the paper's miniImageNet
 * VGG16 refused before any data loads, and a run refused at a lowered heap limit that trains once accumulating.
 */
beforeAll(() => tf.setBackend('cpu'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-memory-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** State each optimizer keeps per weight, by its update rule (tfjs's RMSProp keeps its moments even without momentum). */
const SLOTS: Record<string, number> = { sgd: 0, momentum: 1, adagrad: 1, rmsprop: 2, adadelta: 2, adam: 2 };

test.each(optimizers.names())('optimizer %s keeps the state its rule needs per weight', async (name) => {
  expect(SLOTS).toHaveProperty(name);
  const { optimizer } = optimizers.build(name, optimizers.withDefaults(name, {}), undefined);
  expect((await measureOptimizer(optimizer)).slots).toBe(SLOTS[name]);
  optimizer.dispose();
});

test('a model built for its shapes has zero weights and leaves the names of the next model alone', () => {
  const build = () => {
    const input = tf.input({ shape: [3] });
    return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, name: 'names-probe' }).apply(input) as tf.SymbolicTensor });
  };
  const shapesOnly = withZeroWeights(build);
  expect(shapesOnly.weights.map((weight) => Array.from(weight.read().dataSync()))).toEqual([
    [0, 0, 0, 0, 0, 0],
    [0, 0],
  ]);
  shapesOnly.dispose();
  // tfjs-layers makes variable names unique per process: the model trained after an estimate keeps its own.
  const model = build();
  expect(model.weights.map((weight) => weight.name)).toEqual(['names-probe/kernel', 'names-probe/bias']);
  model.dispose();
});

test('the estimate is within 30% of the wasm heap a step of the small CNN measures (a process of its own)', () => {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'measure-training-memory.js'), 'simple-cnn', '32', '256'], {
    encoding: 'utf8',
    timeout: 120000,
  });
  const line = result.stdout.trim().split('\n').pop()!;
  const { heapMB, estimateMB } = JSON.parse(line) as { heapMB: number; estimateMB: number };
  expect(Math.abs(estimateMB / heapMB - 1)).toBeLessThan(0.3);
});

test("the paper's miniImageNet VGG16 is refused before its data loads: its weights alone exceed the 4 GiB heap", async () => {
  const file = path.join(repoRoot, 'configs', 'paper', 'mini-imagenet-vgg16.yaml');
  // One cell of the matrix; the data folder does not exist, and the estimate does not need it.
  const config = resolveConfig(file, { set: ['matrix={"model.activation.type": [relu], seed: [1]}', 'data.dir=/nonexistent'] });
  const plan = (await planFromConfig(config, memoryLimitOf('wasm')!))!;
  expect(plan.fits).toBe(false);
  expect(plan.accumulate).toBeUndefined();
  expect(plan.estimate.weightBytes).toBeGreaterThan(4 * 1024 ** 3);
  expect(() => refuseIfOverLimit(plan, config, 'configs/paper/mini-imagenet-vgg16.yaml')).toThrow(
    /^configs\/paper\/mini-imagenet-vgg16\.yaml: a training step of vgg16 at 84x84 with train\.batchSize 64 needs an estimated [\d.]+ GiB, more than the wasm backend's 4 GiB heap even one image at a time .*backend: tensorflow/,
  );
});

test("on the backends of JavaScript arrays the machine's memory is the limit, and no other backend is named", async () => {
  const file = path.join(repoRoot, 'configs', 'quickstart.yaml');
  const config = resolveConfig(file, {});
  const limit = { bytes: 100 * 1024 ** 2, name: "this machine's 100 MB of memory", backend: 'onednn' as const };
  const plan = (await planFromConfig(config, limit))!;
  expect(plan.fits).toBe(false);
  expect(() => refuseIfOverLimit(plan, config, 'configs/quickstart.yaml')).toThrow(
    /^configs\/quickstart\.yaml: a training step of \S+ at 28x28 with train\.batchSize \d+ needs an estimated \d+ MB, more than this machine's 100 MB of memory; use train\.accumulate: \d+ \(micro-batches of \d+, estimated \d+ MB\) or a train\.batchSize of at most \d+$/,
  );
  expect(memoryLimitOf('onednn')).toEqual({
    bytes: os.totalmem() * 0.85,
    name: expect.stringMatching(/^85% of this machine's [\d.]+ GiB of memory$/),
    backend: 'onednn',
  });
  expect(memoryLimitOf('tensorflow')).toBeUndefined();
});

test('a dataset plugin that declares its geometry tells the shape and classes loading it gives', async () => {
  const options = { type: 'synthetic', shape: [12, 10, 2], classCount: 5, train: 20, test: 10, classes: [0, 2, 4], resize: [6, 8] };
  const loaded = await loadDataset(options as never, { cwd: work, seed: 1 });
  expect(datasetGeometry(options as never)).toEqual({ shape: loaded.shape, classes: loaded.classes.length });
});

describe('acaf run on the wasm backend, with the heap limited to 40 MB', () => {
  const config = path.join(work, 'wide.yaml');
  fs.writeFileSync(
    config,
    `name: wide
backend: wasm
data: { type: synthetic, shape: [32, 32, 3], classCount: 4, train: 1000000, test: 16 }
model: { network: { type: simple-cnn }, activation: { type: relu } }
train: { epochs: 1, batchSize: 64, optimizer: { type: sgd } }
eval: { metrics: [{ type: accuracy }] }
output: { dir: ${path.join(work, 'runs')} }
`,
  );
  const env = { ACAF_WASM_HEAP_LIMIT_MB: '40' };
  const withoutHeapLimit = oneDnnBuilt
    ? 'backend: onednn, the native kernels on JavaScript arrays, or backend: tensorflow'
    : 'backend: tensorflow';

  test('refuses a step over the limit in one line before the data is made, naming the accumulation that fits', () => {
    // A million synthetic images would take minutes to make: the refusal comes first.
    const { code, stdout, stderr } = acaf(['run', config], { env, timeoutMs: 60000 });
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `${config.replace(/[.]/g, '\\.')}: a training step of simple-cnn at 32x32 with train\\.batchSize 64 needs an estimated \\d+ MB, ` +
          "more than the wasm backend's 40 MB heap; use train\\.accumulate: (\\d+) \\(micro-batches of \\d+, estimated \\d+ MB\\), " +
          `a train\\.batchSize of at most \\d+, or a backend without that limit \\(${withoutHeapLimit}`,
      ),
    );
    expect(stdout).not.toMatch(/run directory/);
    // No run directory: at most the released claim's folder.
    const runs = path.join(work, 'runs', 'wide');
    expect(fs.existsSync(runs) ? fs.readdirSync(runs) : []).toEqual([]);
  });

  (oneDnnBuilt ? test : test.skip)('under backend auto, goes past wasm to the onednn backend and trains there', () => {
    const set = ['--set', 'backend=auto', '--set', 'data.train=64'];
    const { code, stdout, stderr } = acaf(['run', config, ...set], { env, timeoutMs: 120000 });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]).toMatch(
      /^backend: onednn, \d+ threads?, kernels cpu \+ onednn \(oneDNN [\d.]+\) \(auto: .*; wasm \(a training step needs an estimated \d+ MB, more than the wasm backend's 40 MB heap\)\)$/,
    );
    const dir = /run directory: (\S+)/.exec(stdout)![1];
    const envJson = JSON.parse(fs.readFileSync(path.join(dir, 'env.json'), 'utf8'));
    expect(JSON.stringify(envJson)).toContain('"onednn"');
  });

  test('trains with the accumulation the refusal names', () => {
    const refused = acaf(['run', config], { env, timeoutMs: 60000 });
    const accumulate = /train\.accumulate: (\d+)/.exec(refused.stderr)![1];
    const set = ['--set', `train.accumulate=${accumulate}`, '--set', 'data.train=64'];
    const { code, stdout, stderr } = acaf(['run', config, ...set], { env, timeoutMs: 120000 });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const dir = /run directory: (\S+)/.exec(stdout)![1];
    expect(fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

test('a detection config is checked once its data has loaded and its detector is built, still before a run directory', () => {
  const output = path.join(work, 'detection-runs');
  const set = ['--set', 'backend=wasm', '--set', `output.dir=${output}`, '--set', 'data.images=40'];
  // 1 MB: less than the detector's weights and gradients, so no batch fits.
  const { code, stderr } = acaf(['run', 'configs/detection-shapes.yaml', ...set], { env: { ACAF_WASM_HEAP_LIMIT_MB: '1' } });
  expect(code).not.toBe(0);
  expect(stderr.trim().split('\n')).toEqual([
    expect.stringMatching(
      /configs\/detection-shapes\.yaml: a training step of \S+ at 64x64 with train\.batchSize \d+ needs an estimated .* more than the wasm backend's 1 MB heap even one image at a time .*backend: tensorflow/,
    ),
  ]);
  const runs = path.join(output, 'detection-shapes');
  expect(fs.existsSync(runs) ? fs.readdirSync(runs) : []).toEqual([]);
});
