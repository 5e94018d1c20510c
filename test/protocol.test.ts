import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig, resolveExperiments } from '../src/config';
import type { ClassificationExperimentConfig } from '../src/config/types';
import { makeSyntheticDataset } from '../src/data/synthetic';
import { buildModel } from '../src/builders/model';
import { networks } from '../src/registry';
import { dataSource } from '../src/tasks/classification/data-source';
import { paperFamilyOptionSchemas } from '../src/builders/networks/options';
import '../src/plugins';

const config = (file: string, set: string[] = []) =>
  resolveConfig(path.join(__dirname, '..', 'configs', file), { set }) as ClassificationExperimentConfig;
const firstRun = (file: string, set: string[] = []) =>
  resolveExperiments(path.join(__dirname, '..', 'configs', file), { set })[0] as ClassificationExperimentConfig;

/** Resolves a config written to a temporary file. */
function resolveText(yaml: string): ClassificationExperimentConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-protocol-'));
  try {
    fs.writeFileSync(path.join(dir, 'experiment.yaml'), yaml);
    return resolveConfig(path.join(dir, 'experiment.yaml')) as ClassificationExperimentConfig;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a config that reproduces a paper row runs the paper-faithful protocol unless it sets protocol itself', () => {
  const paper = firstRun('paper/cifar10-lenet.yaml');
  expect(paper.protocol).toBe('paper-faithful');
  expect(paper.model.outputSoftmax).toBe(true);
  expect(paper.eval.window).toBe(64);
  expect(firstRun('paper/cifar10-lenet.yaml', ['protocol=corrected']).protocol).toBe('corrected');
  const plain = 'data: { type: synthetic }\nmodel: { network: { type: mlp } }\ntrain: { optimizer: { type: sgd, lr: 0.1 } }\n';
  expect(resolveText(plain).protocol).toBe('corrected');
  expect(resolveText(`reproduces: a row\n${plain}`).protocol).toBe('paper-faithful');
});

test('corrected evaluates the whole test split with moving batch-norm statistics, plain logits and every batch', () => {
  const resolved = config('resnet50-alpha-relu.yaml', ['protocol=corrected', 'data.augment.flip=true']);
  expect(resolved.eval.window).toBeUndefined();
  expect(resolved.model.outputSoftmax).toBe(false);
  expect(resolved.train.dropLastBatch).toBe(false);
  expect(resolved.model.network).toMatchObject({ variant: 'paper', bnTestStatistics: 'moving' });
  expect(resolved.data.augment).toMatchObject({ flip: true });
});

test("paper-faithful reproduces the authors' code: one 64-image test batch, full batches only, double softmax, batch statistics, no augmentation", () => {
  const resolved = config('resnet50-alpha-relu.yaml', ['protocol=paper-faithful', 'data.augment.flip=true']);
  expect(resolved.eval.window).toBe(64);
  expect(resolved.train.dropLastBatch).toBe(true);
  expect(resolved.model.outputSoftmax).toBe(true);
  expect(resolved.model.network).toMatchObject({ bnTestStatistics: 'batch' });
  expect(resolved.data.augment).toMatchObject({ crop: 0, flip: false });
});

test('each network declares its own quirks: plain logits where the code had them, moving statistics for DenseNet', () => {
  expect(firstRun('paper/cifar10-alexnet.yaml').model.outputSoftmax).toBe(false);
  expect(firstRun('paper/cifar10-alexnet.yaml').model.network).toMatchObject({ bnTestStatistics: 'batch' });
  expect(firstRun('paper/cifar10-googlenet.yaml').model.outputSoftmax).toBe(true);
  expect(firstRun('paper/cifar10-densenet.yaml').model.network).toMatchObject({ bnTestStatistics: 'moving' });
  // The standard variant is not the authors' code: no network quirk.
  expect(firstRun('paper/cifar10-lenet.yaml', ['model.network.variant=standard']).model.outputSoftmax).toBe(false);
});

test('a network plugin that declares no quirk gets none under paper-faithful', () => {
  if (!networks.has('test-quirkless'))
    networks.register({
      name: 'test-quirkless',
      description: 'test network with the paper family options and no declared quirk',
      options: paperFamilyOptionSchemas,
      build: () => {
        throw new Error('never built');
      },
    });
  const resolved = resolveText(
    'protocol: paper-faithful\ndata: { type: synthetic }\nmodel: { network: { type: test-quirkless } }\ntrain: { optimizer: { type: sgd, lr: 0.1 } }\n',
  );
  expect(resolved.eval.window).toBe(64);
  expect(resolved.model.outputSoftmax).toBe(false);
  expect(resolved.model.network).toMatchObject({ variant: 'paper', bnTestStatistics: 'moving' });
});

test('a paper-faithful LeNet epoch on 50,000 images at batch 64 has 781 full steps, as the authors queue gives', () => {
  const set = ['data={ type: synthetic, shape: [1, 1, 1], train: 50000, test: 64 }', 'train.epochs=1'];
  const paper = firstRun('paper/cifar10-lenet.yaml', set);
  const dataset = makeSyntheticDataset({ shape: [1, 1, 1], classCount: 10, train: 50000, test: 64, noise: 0 }, 1);
  const source = dataSource(dataset, paper);
  const sizes = [...source.trainBatches(1)].map((batch) => batch.size);
  expect(source.stepsPerEpoch).toBe(781);
  expect(sizes).toHaveLength(781);
  expect(new Set(sizes)).toEqual(new Set([64]));
  expect(dataSource(dataset, firstRun('paper/cifar10-lenet.yaml', [...set, 'protocol=corrected'])).stepsPerEpoch).toBe(782);
});

test('the checked-in VGG16 config has the alpha form at the 5 block ends and LReLU 0.2 at the other 10 sites', () => {
  const checkedIn = firstRun('paper/cifar10-vgg16-checked-in.yaml', ['model.network.widthMultiplier=0.0625']);
  const { sites } = buildModel(checkedIn.model, { inputShape: [32, 32, 3], numClasses: 10 });
  const alpha = sites.filter((site) => site.activationType === 'alpha-relu').map((site) => site.name);
  expect(alpha).toEqual(['block1.conv2.act', 'block2.conv2.act', 'block3.conv3.act', 'block4.conv3.act', 'block5.conv3.act']);
  expect(sites.filter((site) => site.activationType === 'lrelu')).toHaveLength(10);
  expect(checkedIn.model.activation).toMatchObject({ type: 'lrelu', slope: 0.2 });
});
