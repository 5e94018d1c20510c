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
    // Without a config: batch 64 under SGD; the weights alone are 3.4 floats each (src/memory/training-memory.ts).
    expect(summary.memory.batch).toBe(64);
    expect(summary.memory.weightBytes).toBeGreaterThan(3 * 4 * summary.params);
    expect(summary.memory.bytes).toBe(summary.memory.weightBytes + summary.memory.activationBytes);
  });

  it('prints the layer table and totals of a config, with its dataset shape and activation', () => {
    const { code, stdout } = acaf(['summary', 'configs/quickstart.yaml']);
    expect(code).toBe(0);
    // simple-cnn on 28x28x1 Fashion-MNIST, three AR sites of 4 parameters each.
    expect(stdout).toMatch(/^conv1\.act\s+\S+\s+\[N,28,28,32\]\s+4$/m);
    const weights = 3 * 3 * 1 * 32 + 32 + (3 * 3 * 32 * 64 + 64) + (7 * 7 * 64 * 128 + 128) + (128 * 10 + 10);
    expect(stdout).toContain(`trainable params:     ${(weights + 12).toLocaleString('en-US')}`);
    // The config's batch (64) and input; test/training-memory.test.ts checks the estimate against a measured heap.
    expect(stdout.trim().split('\n').pop()).toMatch(/^estimated peak training memory at batch 64, 28x28: \d+ MB$/);
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

  it('prints the detector of a detection config: backbone levels by stride, head outputs, anchors, parameters', () => {
    const { code, stdout } = acaf(['summary', 'configs/detection-shapes.yaml', '--json']);
    expect(code).toBe(0);
    const { params, detector } = JSON.parse(stdout);
    // Quarter-width ResNet-18 at 64x64, levels at strides 4, 8, 16: stage1..3 outputs of 16, 32 and 64 channels.
    expect(detector.backbone).toEqual([
      { layer: 'stage1.unit2.act2', shape: [16, 16, 16], stride: [4, 4] },
      { layer: 'stage2.unit2.act2', shape: [8, 8, 32], stride: [8, 8] },
      { layer: 'stage3.unit2.act2', shape: [4, 4, 64], stride: [16, 16] },
    ]);
    expect(detector.head.levels.map((level: { grid: number[]; anchors: number[][] }) => [level.grid, level.anchors])).toEqual([
      [
        [16, 16],
        [
          [8, 8],
          [12, 12],
        ],
      ],
      [
        [8, 8],
        [
          [16, 16],
          [22, 22],
        ],
      ],
      [
        [4, 4],
        [
          [28, 28],
          [36, 36],
        ],
      ],
    ]);
    expect(detector.head.predictionsPerImage).toBe(2 * (16 * 16 + 8 * 8 + 4 * 4));
    // Head of width 32, counted by hand per level: lateral 1x1 conv, two 3x3 convs (the first on the lateral plus the
    // upsampled coarser tower, 64 channels, except at the coarsest level), three batch norms of 4 x 32, and a 1x1
    // prediction conv of 2 anchors x (5 + 3 classes) with bias.
    const predict = 32 * 16 + 16;
    const norms = 3 * 4 * 32;
    const coarsest = 64 * 32 + 9 * 32 * 32 + 9 * 32 * 32 + norms + predict;
    const middle = 32 * 32 + 9 * 64 * 32 + 9 * 32 * 32 + norms + predict;
    const finest = 16 * 32 + 9 * 64 * 32 + 9 * 32 * 32 + norms + predict;
    expect(detector.params.head).toBe(coarsest + middle + finest);
    expect(detector.params.backbone + detector.params.head).toBe(params);

    const text = acaf(['summary', 'configs/detection-shapes.yaml', '--set', 'model.backbone={strides: [8, 16, 32]}']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^1\s+stage2\.unit2\.act2\s+8\s+8x8x32$/m);
    expect(text.stdout).toMatch(/^p5\s+2x2\s+32\s+28x28 36x36\s+8\s+8$/m);
  });

  it('names the strides a network has when asked for one it lacks', () => {
    const { code, stderr } = acaf(['summary', 'configs/detection-shapes.yaml', '--set', 'model.backbone.strides=[4, 64]']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^acaf: model\.backbone\.strides: network 'resnet18-standard' has no feature map of stride 64 at input 64x64 \(strides: 2, 4, 8, 16, 32\)\n$/,
    );
  });

  it.each([
    [
      ['summary', 'configs/detection-shapes.yaml', '--input', '32,32,3'],
      /^acaf: --input: a detection config sets its input size with data\.inputSize/,
    ],
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
