import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../src/builders/model';
import { useCpuBackend } from './helpers/activations';
import { acaf } from './helpers/cli';
import { registerTinyNetwork } from './helpers/tiny-network';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const parseCsv = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.split(','));

test('activations shape prints z,f with the given parameters over the given range', () => {
  const { code, stdout } = acaf(['activations', 'shape', 'as', '--param', 'a=2', '--param', 'c=0.5', '--range=-1,1,3']);
  expect(code).toBe(0);
  const [header, ...rows] = parseCsv(stdout);
  expect(header).toEqual(['z', 'f']);
  expect(rows.map(([z]) => Number(z))).toEqual([-1, 0, 1]);
  rows.forEach(([z, f]) => expect(Number(f)).toBeCloseTo(sigmoid(2 * Number(z) + 0.5), 6));
});

test('activations shape: unknown parameters and types are one-line errors', () => {
  const unknownParameter = acaf(['activations', 'shape', 'ar', '--param', 'alpha=1']);
  expect(unknownParameter.code).toBe(1);
  expect(unknownParameter.stderr).toBe("acaf: activation 'ar' has no parameter 'alpha'; parameters: a, b, c, d\n");
  const unknownType = acaf(['activations', 'shape', 'arelu']);
  expect(unknownType.code).toBe(2);
  expect(unknownType.stderr).toMatch(/^acaf: unknown activation 'arelu' .*did you mean/);
});

test("activations <run dir> prints the table, and --csv the learned curves, of the run's last checkpoint", async () => {
  await useCpuBackend();
  registerTinyNetwork();
  const { model } = buildModel(
    {
      network: { type: 'test-tiny' },
      activation: { type: 'relu' },
      placement: [
        { sites: 'stem.act', activation: { type: 'ar', init: { a: 2, b: 0.5 } } },
        { sites: 'head.act', activation: { type: 'prelu', share: 'channel' } },
      ],
    },
    { inputShape: [2, 2, 1], numClasses: 3 },
  );
  model.getLayer('head.act').setWeights([tf.tensor1d([0.1, 0.2, 0.3])]);
  const checkpoint = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-activations-')), 'checkpoints', 'last');
  fs.mkdirSync(checkpoint, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      fs.writeFileSync(path.join(checkpoint, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      const weightsManifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }];
      fs.writeFileSync(path.join(checkpoint, 'model.json'), JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const runDir = path.dirname(path.dirname(checkpoint));

  const table = acaf(['activations', runDir]);
  expect(table.code).toBe(0);
  expect(table.stdout.split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
    ['site', 'type', 'share', 'a', 'b', 'c', 'd', 'slope'],
    ['stem.act', 'ar', 'layer', '2.0000', '0.5000', '0.0000', '0.0000'],
    ['head.act', 'prelu', 'channel', '', '', '', '', '0.2000 (0.1000..0.3000)'].filter(Boolean),
    [''],
  ]);

  const curves = acaf(['activations', runDir, '--csv']);
  expect(curves.code).toBe(0);
  const [header, ...rows] = parseCsv(curves.stdout);
  expect(header).toEqual(['site', 'type', 'z', 'f']);
  expect(rows).toHaveLength(2 * 101);
  const at = (site: string, z: number) => Number(rows.find((row) => row[0] === site && Number(row[2]) === z)![3]);
  expect(at('stem.act', -2)).toBeCloseTo(-1); // max(2z, 0.5z)
  expect(at('stem.act', 3)).toBeCloseTo(6);
  expect(at('head.act', -5)).toBeCloseTo(-1); // mean slope 0.2
  model.dispose();
});

test('activations <run dir> without a checkpoint is a one-line error', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-activations-'));
  const { code, stderr } = acaf(['activations', empty]);
  expect(code).toBe(2);
  expect(stderr).toBe(
    `acaf: ${empty}: not a run directory with a checkpoint (${path.join(empty, 'checkpoints', 'last', 'model.json')} is missing)\n`,
  );
});
