import * as tf from '@tensorflow/tfjs';
import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../src/builders/networks';
import { networks } from '../src/registry';
import { summarizeModel } from '../src/builders/networks/model-summary';
import { PEER_PYTHON, runPeerTorchBench, type PeerSpec } from '../src/bench/peer-torch';
import { acaf } from './helpers/cli';
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
  warmup: 1,
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

  test('acaf bench --repeat alternates acaf and PyTorch per network and takes the ratio within each round', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-peer-'));
    const csv = path.join(folder, 'bench.csv');
    const tiny = [
      '--networks',
      'simple-cnn',
      '--width',
      '0.125',
      '--size',
      '8',
      '--batch',
      '2',
      '--steps',
      '1',
      '--warmup',
      '1',
      '--eval-batch',
      '4',
    ];
    const { code, stderr } = acaf([
      'bench',
      ...tiny,
      '--backends',
      'wasm',
      '--peer-torch',
      '--threads',
      '1',
      '--repeat',
      '2',
      '--csv',
      csv,
    ]);
    const rows = parse(fs.readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[];
    fs.rmSync(folder, { recursive: true, force: true });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // Round 1 times acaf first, round 2 PyTorch first.
    expect(rows.map((row) => [row.kind, row.round, row.backend])).toEqual([
      ['measurement', '1', 'wasm'],
      ['measurement', '1', 'pytorch-cpu-1t'],
      ['measurement', '2', 'pytorch-cpu-1t'],
      ['measurement', '2', 'wasm'],
      ['median', '', 'wasm'],
      ['median', '', 'pytorch-cpu-1t'],
    ]);
    const throughput = (round: string, backend: string) =>
      Number(rows.find((row) => row.round === round && row.backend === backend)!.imagesPerSecond);
    for (const round of ['1', '2']) {
      const [acafRate, peerRate] = [throughput(round, 'wasm'), throughput(round, 'pytorch-cpu-1t')];
      const row = rows.find((candidate) => candidate.round === round && candidate.backend === 'wasm')!;
      // The cells are rounded: images/s to 0.05, the ratio to 0.0005.
      const ratio = acafRate / peerRate;
      const rounding = 0.0005 + ratio * (0.05 / acafRate + 0.05 / peerRate) * 1.01;
      expect(Math.abs(Number(row.ratioToPyTorch) - ratio)).toBeLessThanOrEqual(rounding);
    }
    const peer = rows.filter((row) => row.backend === 'pytorch-cpu-1t');
    for (const row of peer) {
      expect(Number(row.evalImagesPerSecond)).toBeGreaterThan(0);
      expect(Number(row.peakMemoryMB)).toBeGreaterThan(0);
      expect(row.threads).toBe('1');
      expect(row.kernelSources).toMatch(/^torch-\d/);
    }
  });
});
