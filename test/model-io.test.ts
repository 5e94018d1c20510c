import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/builders/networks';
import { networks } from '../src/registry';
import { loadModel, saveModel } from '../src/io/model-files';
import { AcafError } from '../src/errors';
import { withDefaults } from './helpers/network-fixtures';

beforeAll(() => tf.setBackend('cpu'));

/** A learnable activation per site, so the round trip covers weights outside the network's own layers. */
const preluProvider = (site: string) => tf.layers.prelu({ name: site, alphaInitializer: tf.initializers.constant({ value: 0.25 }) });

function temporaryDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-model-io-'));
}

describe('saveModel / loadModel', () => {
  // The paper's AlexNet holds every custom layer: batch norm with batch test statistics, LRN and grouped convs.
  it.each([
    ['alexnet', { variant: 'paper' }],
    ['alexnet', { variant: 'standard' }],
    ['resnet18', { variant: 'standard' }],
  ])('round-trips %s %j with identical logits', async (name, variant) => {
    const dir = temporaryDir();
    const options = withDefaults(name, { ...variant, widthMultiplier: 1 / 16 });
    const model = networks.build(name, options, { inputShape: [32, 32, 3], numClasses: 10, activation: preluProvider });
    const x = tf.randomNormal([2, 32, 32, 3]);
    await saveModel(model, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadModel(dir);
    const [expected, actual] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(loaded.layers.map((layer) => layer.getClassName())).toEqual(model.layers.map((layer) => layer.getClassName()));
    tf.dispose([x, expected, actual]);
    model.dispose();
    loaded.dispose();
  });

  it('keeps trained batch-norm moving statistics', async () => {
    const dir = temporaryDir();
    const options = withDefaults('resnet18', { variant: 'standard', widthMultiplier: 1 / 16 });
    const model = networks.build('resnet18', options, { inputShape: [16, 16, 3], numClasses: 4, activation: preluProvider });
    const x = tf.randomNormal([2, 16, 16, 3], 3, 2);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const [expected, actual] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, expected, actual]);
    model.dispose();
    loaded.dispose();
  });

  it('names the missing file when a directory holds no model', async () => {
    const dir = temporaryDir();
    await expect(loadModel(dir)).rejects.toThrow(AcafError);
    await expect(loadModel(dir)).rejects.toThrow(/model\.json does not exist/);
  });
});
