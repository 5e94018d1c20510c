import * as tf from '@tensorflow/tfjs';
import {
  asTensor,
  atUnitStrideAndDilation,
  pixelsReadByPointwiseFilter,
  tapsReadingInput,
  trimTapsThatOnlyReadPadding,
} from './kernel-tensors';
import { runReplacedKernel } from '../kernel-sources';
import { convolvesAsDenseProduct, denseFilter } from './small-map-convolution';
import { heapKernelConfig } from './wasm-heap';

type FusedConvArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/**
 * Forward convolution (with optional bias and activation). tfjs-backend-wasm transposes and XNNPACK re-packs the
 * filter on every call with a new filter tensor (every training step), which costs more than the arithmetic where a
 * map has few pixels (the deep layers of small images). So:
 * - a 1x1 filter is a matrix product of the pixels it reads, whose right operand XNNPACK packs without the transpose
 *   (35-40% faster for ResNet-50's deep 1x1 layers);
 * - filter taps that read only padding are dropped: a 3x3 'same' convolution of a 1x1 map reads only its centre;
 * - a map of a few pixels is one product with a dense filter matrix (see small-map-convolution).
 * Everything else goes to tfjs-backend-wasm's kernel unchanged.
 */
function fusedConv2d(args: FusedConvArgs): tf.TensorInfo | tf.Tensor {
  const original = () => runReplacedKernel(tf.FusedConv2D, args);
  const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
  const x = args.inputs.x as tf.TensorInfo;
  const filterInfo = args.inputs.filter as tf.TensorInfo;
  if (attrs.dataFormat !== 'NHWC') return original();
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterInfo.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  // A prelu weight per output element would need the product's layout; per channel (or none) carries over.
  const prelu = args.inputs.preluActivationWeights as tf.TensorInfo | undefined;
  const perChannelExtras = !prelu || prelu.shape.length <= 1;
  if (info.filterHeight === 1 && info.filterWidth === 1) return perChannelExtras ? pointwiseConvolution(args, info) : original();
  if (perChannelExtras && convolvesAsDenseProduct(info)) return smallMapConvolution(args, info);
  const { top, bottom, left, right } = info.padInfo;
  const padding: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  if (!atUnitStrideAndDilation(info) || !tapsReadingInput(x.shape, filterInfo.shape, padding)) return original();
  return tf.tidy(() => {
    const trimmed = trimTapsThatOnlyReadPadding(x.shape, asTensor<tf.Rank.R4>(filterInfo, tf.FusedConv2D), padding);
    // Reaches this kernel again with the trimmed filter, which has no taps left to drop.
    return tf.fused.conv2d({
      ...fusedExtras(args),
      x: asTensor<tf.Rank.R4>(x, tf.FusedConv2D),
      filter: trimmed.filter,
      strides: 1,
      pad: trimmed.padding,
    });
  });
}

function pointwiseConvolution(args: FusedConvArgs, info: tf.backend_util.Conv2DInfo): tf.Tensor {
  return tf.tidy(() => {
    const pixels = pixelsReadByPointwiseFilter(asTensor<tf.Rank.R4>(args.inputs.x, tf.FusedConv2D), info);
    const filter = tf.reshape(asTensor(args.inputs.filter, tf.FusedConv2D), [info.inChannels, info.outChannels]);
    const product = tf.fused.matMul({ ...fusedExtras(args), a: pixels, b: filter });
    return tf.reshape(product, info.outShape);
  });
}

function smallMapConvolution(args: FusedConvArgs, info: tf.backend_util.Conv2DInfo): tf.Tensor {
  return tf.tidy(() => {
    const x = asTensor(args.inputs.x, tf.FusedConv2D);
    // Transposed, so the product (which puts the dense matrix first: it is the larger operand) reads it as it is.
    const filter = denseFilter(asTensor<tf.Rank.R4>(args.inputs.filter, tf.FusedConv2D), info, args.backend, 'outputsByInputs');
    const outPixels = info.outHeight * info.outWidth;
    // Per-channel bias and prelu weights, repeated for every output pixel of the flattened output.
    const extras = fusedExtras(args);
    const perPixel = (vector: tf.Tensor | undefined) => (vector ? tf.tile(tf.reshape(vector, [-1]), [outPixels]) : undefined);
    const product = tf.fused.matMul({
      ...extras,
      a: tf.reshape(x, [info.batchSize, -1]),
      b: filter,
      transposeB: true,
      bias: perPixel(extras.bias),
      preluActivationWeights: perPixel(extras.preluActivationWeights),
    });
    return tf.reshape(product, info.outShape);
  });
}

/** The bias and activation of a fused convolution, as the fused ops take them. */
function fusedExtras({ inputs, attrs }: FusedConvArgs) {
  const { activation, leakyreluAlpha } = attrs as unknown as tf.FusedConv2DAttrs;
  const optional = (info: tf.TensorInfo | undefined) => (info ? asTensor(info, tf.FusedConv2D) : undefined);
  return { bias: optional(inputs.bias), activation, preluActivationWeights: optional(inputs.preluActivationWeights), leakyreluAlpha };
}

export const fusedConv2dConfig = heapKernelConfig(tf.FusedConv2D, fusedConv2d);
