import { acaf } from './helpers/cli';

describe('acaf summary', () => {
  it('prints the JSON summary of a network given by flags', () => {
    const { code, stdout } = acaf(['summary', '--network', 'resnet50', '--variant', 'paper', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.trainableParams).toBe(23_528_522);
    // 53 batch norms: moving mean and variance of every normalised channel.
    expect(summary.params - summary.trainableParams).toBe(53_120);
    expect(summary.layers[0]).toEqual({ name: 'input', type: 'InputLayer', outputShape: [null, 32, 32, 3], params: 0 });
    const sum = summary.layers.reduce((total: number, layer: { params: number }) => total + layer.params, 0);
    expect(sum).toBe(summary.params);
  });

  it('prints the layer table and totals of a config, with its dataset shape and activation', () => {
    const { code, stdout } = acaf(['summary', 'configs/quickstart.yaml']);
    expect(code).toBe(0);
    // simple-cnn on 28x28x1 Fashion-MNIST, three AR sites of 4 parameters each.
    expect(stdout).toMatch(/^conv1\.act\s+\S+\s+\[N,28,28,32\]\s+4$/m);
    const weights = 3 * 3 * 1 * 32 + 32 + (3 * 3 * 32 * 64 + 64) + (7 * 7 * 64 * 128 + 128) + (128 * 10 + 10);
    expect(stdout).toContain(`trainable params:     ${(weights + 12).toLocaleString('en-US')}`);
  });

  it('--activation replaces the config activation', () => {
    const { code, stdout } = acaf([
      'summary',
      'configs/quickstart.yaml',
      '--activation',
      'relu',
      '--input',
      '32,32,3',
      '--classes',
      '10',
      '--json',
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.layers.find((layer: { name: string }) => layer.name === 'conv1.act').params).toBe(0);
    expect(summary.layers[0].outputShape).toEqual([null, 32, 32, 3]);
  });

  it.each([
    [['summary', '--network', 'resnet5'], /^acaf: unknown network 'resnet5' at --network; did you mean 'resnet50'\?/],
    [['summary', '--network', 'lenet', '--input', '32,32'], /^acaf: --input: '32,32' is not a shape H,W,C/],
    [['summary', '--network', 'mlp', '--variant', 'paper'], /^acaf: --variant: network 'mlp' has no variants/],
    [['summary'], /^acaf: give a config file or --network/],
    [['summary', 'configs/quickstart.yaml', '--network', 'lenet'], /^acaf: --network is for summaries without a config/],
  ])('%j fails with one line', (args, message) => {
    const { code, stderr } = acaf(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
