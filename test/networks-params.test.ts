import * as tf from '@tensorflow/tfjs';
import '../src/builders/networks';
import { networks } from '../src/registry';
import { summarizeModel } from '../src/builders/networks/model-summary';
import { reluProvider, withDefaults } from './helpers/network-fixtures';

beforeAll(() => tf.setBackend('cpu'));

/**
 * Trainable parameters with relu (batch-norm gamma and beta trainable, moving statistics not). Standard variants at
 * 224x224x3 with 1000 classes equal torchvision's models; paper variants at 32x32x3 with 10 classes equal the
 * authors' code as counted in paper.md section 6. Building allocates and initialises every weight; Glorot uniform
 * is several times faster to draw than the normal initialisers and gives the same counts.
 */
const EXPECTED: [string, Record<string, unknown>, number][] = [
  ['resnet18', { variant: 'standard' }, 11_689_512],
  ['resnet34', { variant: 'standard' }, 21_797_672],
  ['resnet50', { variant: 'standard' }, 25_557_032],
  ['resnet101', { variant: 'standard' }, 44_549_160],
  ['vgg16', { variant: 'standard' }, 138_357_544],
  ['vgg16', { variant: 'standard', batchNormEveryConv: true }, 138_365_992],
  ['densenet121', { variant: 'standard' }, 7_978_856],
  ['densenet169', { variant: 'standard' }, 14_149_480],
  ['googlenet', { variant: 'standard' }, 6_624_904],
  ['googlenet', { variant: 'standard', auxHeads: true }, 13_004_888],
  ['lenet', { variant: 'paper' }, 143_498],
  ['alexnet', { variant: 'paper' }, 4_061_130],
  ['vgg16', { variant: 'paper' }, 149_033_674],
  ['googlenet', { variant: 'paper' }, 6_326_426],
  ['resnet50', { variant: 'paper' }, 23_528_522],
  ['densenet', { variant: 'paper' }, 10_236_298],
];

test.each(EXPECTED)('%s %j has %d trainable parameters', (name, options, expected) => {
  const paper = options.variant === 'paper';
  const inputShape: [number, number, number] = paper ? [32, 32, 3] : [224, 224, 3];
  const model = networks.build(name, withDefaults(name, { ...options, initializer: 'glorot-uniform' }), {
    inputShape,
    numClasses: paper ? 10 : 1000,
    activation: reluProvider(),
  });
  const { params, trainableParams } = summarizeModel(model);
  model.dispose();
  expect(trainableParams).toBe(expected);
  // Batch-norm moving statistics are the only non-trainable weights: two per normalised channel.
  expect((params - trainableParams) % 2).toBe(0);
});
