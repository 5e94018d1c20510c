import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildDetector } from '../src/detection/model/detector';
import { AcafError } from '../src/errors';
import { heads, networks } from '../src/registry';
import { withDefaults } from './helpers/network-fixtures';

beforeAll(() => tf.setBackend('cpu'));

/** Every registered head on every registered network, narrow and at 32x32, so the whole matrix stays fast. */
const cases = heads.names().flatMap((head) => networks.names().map((network) => ({ head, network })));

describe.each(cases)('$head on $network', ({ head, network }) => {
  it('builds on the last two feature resolutions and gives a finite loss, or refuses a network without feature maps', () => {
    const before = tf.memory().numTensors;
    const options = withDefaults(network, {
      widthMultiplier: 0.125,
      ...('variant' in networks.get(network).options ? { variant: 'standard' } : {}),
    });
    const build = () =>
      buildDetector(
        { network: options, activation: { type: 'relu' }, head: { type: head, width: 4 }, backbone: { levels: 2 } },
        { inputShape: [32, 32, 3], numClasses: 2 },
      );
    let detector: ReturnType<typeof build>;
    try {
      detector = build();
    } catch (error) {
      // Only a network with no down-sampled 4-D outputs (an MLP) may be refused, and with a one-line config error.
      expect(error).toBeInstanceOf(AcafError);
      expect((error as Error).message).toMatch(/^model\.backbone\.levels: 2 feature levels asked/);
      return;
    }
    const { model, head: built } = detector;
    expect(model.outputs[0].shape[2]).toBe(7);
    const loss = tf.tidy(() => {
      const predictions = model.apply(tf.randomUniform([1, 32, 32, 3]), { training: true }) as tf.Tensor;
      return built.loss(predictions, { boxes: [Float32Array.from([4, 4, 20, 28])], labels: [Int32Array.from([1])] }).total.dataSync()[0];
    });
    expect(Number.isFinite(loss)).toBe(true);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
