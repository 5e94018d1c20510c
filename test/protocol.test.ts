import * as path from 'path';
import { resolveConfig, resolveExperiments } from '../src/config';
import type { ClassificationExperimentConfig } from '../src/config/types';
import '../src/plugins';

const config = (file: string, set: string[] = []) =>
  resolveConfig(path.join(__dirname, '..', 'configs', file), { set }) as ClassificationExperimentConfig;

test('corrected (the default) evaluates the whole test split with moving batch-norm statistics and plain logits', () => {
  const resolved = config('resnet50-alpha-relu.yaml', ['data.augment.flip=true']);
  expect(resolved.protocol).toBe('corrected');
  expect(resolved.eval.window).toBeUndefined();
  expect(resolved.model.outputSoftmax).toBe(false);
  expect(resolved.model.network).toMatchObject({ variant: 'paper', bnTestStatistics: 'moving' });
  expect(resolved.data.augment).toMatchObject({ flip: true });
});

test("paper-faithful reproduces the authors' code: one 64-image test batch, double softmax, batch statistics, no augmentation", () => {
  const resolved = config('resnet50-alpha-relu.yaml', ['protocol=paper-faithful', 'data.augment.flip=true']);
  expect(resolved.eval.window).toBe(64);
  expect(resolved.model.outputSoftmax).toBe(true);
  expect(resolved.model.network).toMatchObject({ bnTestStatistics: 'batch' });
  expect(resolved.data.augment).toMatchObject({ crop: 0, flip: false });
});

test('paper-faithful keeps plain logits for the networks whose code had them, and moving statistics for DenseNet', () => {
  const firstRun = (file: string) =>
    resolveExperiments(path.join(__dirname, '..', 'configs', file), {
      set: ['protocol=paper-faithful'],
    })[0] as ClassificationExperimentConfig;
  expect(firstRun('paper/cifar10-alexnet.yaml').model.outputSoftmax).toBe(false);
  expect(firstRun('paper/cifar10-lenet.yaml').model.outputSoftmax).toBe(true);
  expect(firstRun('paper/cifar10-densenet.yaml').model.network).toMatchObject({ bnTestStatistics: 'moving' });
});
