import * as tf from '@tensorflow/tfjs';
import { ActivationLayer } from '../src/builders/activations/activation-layer';
import { activationParameters } from '../src/builders/activations/inspect';
import { buildModel, ModelConfig } from '../src/builders/model';
import { AcafError } from '../src/errors';
import { useCpuBackend } from './helpers/activations';
import { registerTinyNetwork, TINY_SITES } from './helpers/tiny-network';

beforeAll(async () => {
  await useCpuBackend();
  registerTinyNetwork();
});

const context = { inputShape: [2, 2, 1] as [number, number, number], numClasses: 4 };
const tiny = (activation: ModelConfig['activation'], placement: ModelConfig['placement'] = []): ModelConfig => ({
  network: { type: 'test-tiny' },
  activation,
  placement,
});
/** The activation type of each layer applied after a site's dense layer, in site order. */
const layerTypes = (model: tf.LayersModel) =>
  TINY_SITES.map((site) => {
    const dense = model.getLayer(`${site}.dense`);
    return (dense.outboundNodes[0].outboundLayer as ActivationLayer).spec.type;
  });

test('every call site gets model.activation by default, listed in call order', () => {
  const { model, sites } = buildModel(tiny({ type: 'relu' }), context);
  expect(sites).toEqual(TINY_SITES.map((name, index) => ({ index, name, activationType: 'relu' })));
  expect(layerTypes(model)).toEqual(TINY_SITES.map(() => 'relu'));
  expect(model.getLayer('block1.conv2.act')).toBeInstanceOf(ActivationLayer);
  model.dispose();
});

test('placement rules and presets choose per site; the discovery build leaks nothing', () => {
  const before = tf.memory().numTensors;
  const { model, sites } = buildModel(
    tiny({ type: 'lrelu' }, [
      { preset: 'block-ends', activation: { type: 'alpha-relu' } },
      { layers: [-1, -1], activation: { type: 'ar' } },
      { sites: 'stem.*', activation: { type: 'as' } },
    ]),
    context,
  );
  const expected = ['as', 'lrelu', 'alpha-relu', 'lrelu', 'alpha-relu', 'ar'];
  expect(sites.map((site) => site.activationType)).toEqual(expected);
  expect(layerTypes(model)).toEqual(expected);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

test('a site pattern matching nothing is a config error naming it', () => {
  expect(() => buildModel(tiny({ type: 'relu' }, [{ sites: ['block3.*'], activation: { type: 'ar' } }]), context)).toThrow(AcafError);
  expect(() => buildModel(tiny({ type: 'relu' }, [{ sites: ['block3.*'], activation: { type: 'ar' } }]), context)).toThrow(
    /model.placement.0.sites: pattern 'block3.\*' matches no call site/,
  );
});

test('share: network reuses one layer per distinct option set; fixed activations keep one layer per site', () => {
  const { model } = buildModel(
    tiny({ type: 'as', share: 'network', init: { a: 2 } }, [
      { sites: 'head.act', activation: { share: 'network', type: 'ar' } },
      { sites: 'block2.*', activation: { type: 'relu', share: 'network' } },
      { sites: 'stem.act', activation: { init: { a: 2 }, type: 'as', share: 'network' } },
    ]),
    context,
  );
  const rows = activationParameters(model);
  expect(rows.map((row) => [row.site, row.type, row.share])).toEqual([
    ['shared.as', 'as', 'network'],
    ['shared.ar', 'ar', 'network'],
  ]);
  expect(rows[0].parameters.a).toEqual({ mean: 2, min: 2, max: 2, size: 1 });
  expect(model.layers.filter((layer) => layer.name === 'block2.conv1.act' || layer.name === 'block2.conv2.act')).toHaveLength(2);
  const activationWeights = model.trainableWeights.filter((weight) => weight.originalName.startsWith('shared.'));
  expect(activationWeights).toHaveLength(8);
  const output = model.predict(tf.ones([2, 2, 2, 1])) as tf.Tensor;
  expect(output.shape).toEqual([2, 4]);
  tf.dispose(output);
  model.dispose();
});

test('activationParameters reports every adaptive site with mean, min, max and size per parameter', () => {
  const { model } = buildModel(tiny({ type: 'relu' }, [{ sites: 'block1.*', activation: { type: 'prelu', share: 'channel' } }]), context);
  const layer = model.getLayer('block1.conv2.act');
  layer.setWeights([tf.tensor1d([0.1, 0.2, 0.6])]);
  const rows = activationParameters(model);
  expect(rows.map((row) => row.site)).toEqual(['block1.conv1.act', 'block1.conv2.act']);
  expect(rows[0]).toEqual({
    site: 'block1.conv1.act',
    type: 'prelu',
    share: 'channel',
    parameters: { slope: { mean: 0.25, min: 0.25, max: 0.25, size: 3 } },
  });
  expect(rows[1].parameters.slope.mean).toBeCloseTo(0.3);
  expect(rows[1].parameters.slope).toMatchObject({ min: expect.closeTo(0.1), max: expect.closeTo(0.6), size: 3 });
  model.dispose();
});

test('a model with as, at, ar and alpha-relu saves, loads and gives identical outputs', async () => {
  const { model } = buildModel(
    tiny({ type: 'as' }, [
      { layers: [1, 2], activation: { type: 'at', share: 'channel' } },
      { layers: [3, 3], activation: { type: 'ar', freeze: ['b'], init: { b: 0 } } },
      { layers: [4, 5], activation: { type: 'alpha-relu', share: 'element' } },
    ]),
    context,
  );
  // Move every weight off its initial value so that loading the initial values would show.
  model.setWeights(
    model.getWeights().map((weight, i) => tf.tidy(() => weight.add(tf.randomUniform(weight.shape, -0.5, 0.5, 'float32', i)))),
  );
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  const input = tf.randomNormal([5, 2, 2, 1], 0, 2, 'float32', 7);
  const [before, after] = [model, loaded].map((m) => m.predict(input) as tf.Tensor);
  expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
  expect(activationParameters(loaded)).toEqual(activationParameters(model));
  const ar = loaded.getLayer('block2.conv1.act') as ActivationLayer;
  expect([ar.spec.type, ar.freeze, ar.nonTrainableWeights.length]).toEqual(['ar', ['b'], 1]);
  expect((loaded.getLayer('block1.conv1.act') as ActivationLayer).share).toBe('channel');
  tf.dispose([input, before, after]);
  model.dispose();
  loaded.dispose();
});
