import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import '../src/builders/networks';
import { networks } from '../src/registry';
import { summarizeModel } from '../src/builders/networks/model-summary';
import { PEER_PYTHON, runPeerTorchBench, type PeerSpec } from '../src/bench/peer-torch';
import { reluProvider, withDefaults } from './helpers/network-fixtures';

const REPOSITORY = path.resolve(__dirname, '..');
/** The networks bench/peer_torch.py rebuilds in PyTorch (their paper variants). */
const PEER_NETWORKS = ['simple-cnn', 'lenet', 'alexnet', 'googlenet', 'resnet50', 'vgg16', 'densenet'];
const torchMissing = spawnSync(PEER_PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0;
if (torchMissing) console.warn(`skipping the PyTorch peer tests: ${PEER_PYTHON} cannot import torch (apt-get install python3-torch)`);
const describeWithTorch = torchMissing ? describe.skip : describe;

beforeAll(() => tf.setBackend('cpu'));

/** acaf's trainable parameter count of a network's default (paper) variant at 32x32x3 and 10 classes. */
function acafTrainableParameters(name: string): number {
  const model = networks.build(name, withDefaults(name, { initializer: 'glorot-uniform' }), {
    inputShape: [32, 32, 3],
    numClasses: 10,
    activation: reluProvider(),
  });
  const { trainableParams } = summarizeModel(model);
  model.dispose();
  return trainableParams;
}

const countOnly = (expectedParameters: Record<string, number>): PeerSpec => ({
  networks: Object.keys(expectedParameters),
  batch: 64,
  steps: 1,
  size: 32,
  numClasses: 10,
  widthMultiplier: 1,
  threads: 1,
  expectedParameters,
  countOnly: true,
});

describeWithTorch('the PyTorch peer (bench/peer_torch.py)', () => {
  test("builds every paper network with exactly acaf's trainable parameter count", () => {
    const acaf = Object.fromEntries(PEER_NETWORKS.map((name) => [name, acafTrainableParameters(name)]));
    // The peer counts its own torch modules' parameters; acaf's come from the tfjs models built above.
    const { results, skipped } = runPeerTorchBench(REPOSITORY, countOnly(acaf));
    expect(skipped).toBeUndefined();
    expect(results).toEqual(PEER_NETWORKS.map((network) => ({ network, parameters: acaf[network] })));
  });

  test('refuses a network whose count differs from acaf, and says which', () => {
    const acafLenet = acafTrainableParameters('lenet');
    const { results } = runPeerTorchBench(REPOSITORY, countOnly({ lenet: acafLenet + 1, mlp: 1 }));
    expect(results).toEqual([
      { network: 'lenet', parameters: acafLenet, error: `refused: ${acafLenet} trainable parameters, acaf's lenet has ${acafLenet + 1}` },
      { network: 'mlp', error: expect.stringMatching(/^no PyTorch peer/) as unknown },
    ]);
  });
});
