import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { defineActivation } from '../src/builders/activations/define';
import { resolveConfig } from '../src/config';
import { pluginTableMarkdown } from '../src/config/plugin-table';
import { configReferenceMarkdown } from '../src/config/reference';
import { activations, optimizers } from '../src/registry';
import { applyEager, buildActivation, SHARE_MODES, useCpuBackend } from './helpers/activations';

// "A plugin is one file that registers itself": the README's example activation and a second kind (an optimizer),
// registered here as their files would, go through what the registry-driven parts of acaf and its docs do.

beforeAll(useCpuBackend);

const softplus = (x: number) => Math.log1p(Math.exp(x));

// the README's "Adding a plugin" example, as written there
defineActivation({
  name: 'asoftplus',
  className: 'AcafAdaptiveSoftplus',
  description: 'adaptive softplus b*softplus(a*z + c) + d',
  parameters: { a: 1, b: 1, c: 0, d: 0 },
  formula: (z, { a, b, c, d }) => tf.add(tf.mul(b, tf.softplus(tf.add(tf.mul(a, z), c))), d),
});
optimizers.register({
  name: 'my-optimizer',
  description: 'plain SGD, registered by the throwaway-plugin test',
  options: { lr: { type: 'number', exclusiveMinimum: 0, default: 0.01 } },
  build: (options) => optimizers.build('sgd', options, undefined),
});

test('both are listed, in the generated plugin table and in the generated config reference', () => {
  expect(activations.names()).toContain('asoftplus');
  expect(optimizers.names()).toContain('my-optimizer');
  expect(pluginTableMarkdown()).toMatch(/\| activation functions[^\n]*`asoftplus`/);
  expect(pluginTableMarkdown()).toMatch(/\| optimizers[^\n]*`my-optimizer`/);
  const reference = configReferenceMarkdown();
  expect(reference).toContain('### `asoftplus`');
  expect(reference).toContain('### `my-optimizer`');
});

test('the schema accepts them with their options, init and freeze included, and rejects unknown options', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-throwaway-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(
    file,
    [
      'name: throwaway',
      'data: { type: synthetic }',
      'model: { network: { type: mlp }, activation: { type: asoftplus, share: channel, init: { a: 2 }, freeze: [d] } }',
      'train: { epochs: 1, optimizer: { type: my-optimizer, lr: 0.5 } }',
    ].join('\n'),
  );
  const config = resolveConfig(file);
  expect(config.model.activation).toMatchObject({ type: 'asoftplus', share: 'channel', init: { a: 2 }, freeze: ['d'] });
  expect(config.train.optimizer).toEqual({ type: 'my-optimizer', lr: 0.5 });
  expect(() => resolveConfig(file, { set: ['train.optimizer.momentum=0.9'] })).toThrow(/momentum/);
});

test('the activation computes its formula (plain-math oracle) and its gradients match finite differences in every sharing mode', () => {
  const z = [-2, -0.5, 0.3, 1.7];
  for (const share of SHARE_MODES) {
    const layer = buildActivation('asoftplus', { share, init: { a: 2, b: 3, c: 0.5, d: -1 } });
    const input = tf.tensor2d([z]);
    const output = Array.from(applyEager(layer, input).dataSync());
    output.forEach((value, i) => expect(value).toBeCloseTo(3 * softplus(2 * z[i] + 0.5) - 1, 4));
    // d/dz of sum f(z) against a central difference in float64 of the same closed form
    const grad = Array.from(
      tf
        .grad((x: tf.Tensor) => tf.sum(layer.apply(x) as tf.Tensor))(input)
        .dataSync(),
    );
    const h = 1e-4;
    const f = (x: number) => 3 * softplus(2 * x + 0.5) - 1;
    grad.forEach((value, i) => expect(value).toBeCloseTo((f(z[i] + h) - f(z[i] - h)) / (2 * h), 3));
    layer.dispose();
  }
});

test('the optimizer trains: one step moves a weight against its gradient', () => {
  const optimizer = optimizers.build('my-optimizer', optimizers.withDefaults('my-optimizer', { lr: 0.5 }), undefined);
  const weight = tf.variable(tf.scalar(2));
  optimizer.optimizer.minimize(() => tf.square(weight) as tf.Scalar);
  // w - lr * 2w = 2 - 0.5 * 4
  expect(weight.dataSync()[0]).toBeCloseTo(0, 6);
});
