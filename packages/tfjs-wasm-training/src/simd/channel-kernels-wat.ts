import { channelMapWat, columnReductionWat } from './channel-loops-wat';

/**
 * WebAssembly text of the per-channel kernels: reductions over leading axes and the passes of batch normalisation
 * in training (./channel-loops-wat generates their loops). Each computes what the tfjs ops in its comment compute,
 * in the same order of float32 operations, with sums in float64.
 */
export const CHANNEL_KERNELS_WAT = [
  // sum(x, leading axes) / divisor
  columnReductionWat({ name: 'columnSums', matrices: ['x'], vectors: [], terms: [(v) => v.matrix('x')] }),
  // sum(squaredDifference(x, mean), leading axes) / divisor
  columnReductionWat({
    name: 'centeredSquareSums',
    matrices: ['x'],
    vectors: ['mean'],
    terms: [(v) => v.op('mul', v.op('sub', v.matrix('x'), v.vector('mean')), v.op('sub', v.matrix('x'), v.vector('mean')))],
  }),
  // sum(dy), sum(dy * (x - mean)), over leading axes, / divisor
  columnReductionWat({
    name: 'gradientSums',
    matrices: ['dy', 'x'],
    vectors: ['mean'],
    terms: [(v) => v.matrix('dy'), (v) => v.op('mul', v.matrix('dy'), v.op('sub', v.matrix('x'), v.vector('mean')))],
  }),
  // x * scale + shift
  channelMapWat({
    name: 'scaleShift',
    matrices: ['x'],
    vectors: ['scale', 'shift'],
    value: (v) => v.op('add', v.op('mul', v.matrix('x'), v.vector('scale')), v.vector('shift')),
  }),
  // dy * dyScale + (x - mean) * centeredScale + shift
  channelMapWat({
    name: 'normalizationInputGradient',
    matrices: ['dy', 'x'],
    vectors: ['dyScale', 'mean', 'centeredScale', 'shift'],
    value: (v) =>
      v.op(
        'add',
        v.op(
          'add',
          v.op('mul', v.matrix('dy'), v.vector('dyScale')),
          v.op('mul', v.op('sub', v.matrix('x'), v.vector('mean')), v.vector('centeredScale')),
        ),
        v.vector('shift'),
      ),
  }),
].join('\n');
