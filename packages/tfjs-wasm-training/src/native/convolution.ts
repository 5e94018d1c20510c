import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { conv2dBackpropFilterConfig } from '../kernels/conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from '../kernels/conv2d-backprop-input';
import { fusedConv2dConfig } from '../kernels/fused-conv2d';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { ACTIVATION_CODES, passOn, type NativeKernel, type NativeTensors, type TensorArgument } from './native-call';

type Shape4 = [number, number, number, number];

/**
 * oneDNN's pad after a row or column of pixels: any value for which its output size rule,
 * (in + padBefore + padAfter - reach) / stride + 1 rounded down, gives tfjs's output size (the pad only sets the
 * size: out-of-range pixels read as zero either way); null if none is >= 0.
 */
function padAfter(inSize: number, outSize: number, padBefore: number, reach: number, stride: number): number | null {
  const least = (outSize - 1) * stride + reach - inSize - padBefore;
  if (least >= 0) return least;
  return least + stride - 1 >= 0 ? 0 : null;
}

/** The 17 numbers of a convolution's geometry as native/src/convolution.cc reads them, or null if oneDNN cannot take it. */
export function nativeGeometry(info: tf.backend_util.Conv2DInfo): number[] | null {
  const { top, left } = info.padInfo;
  const bottom = padAfter(info.inHeight, info.outHeight, top, info.effectiveFilterHeight, info.strideHeight);
  const right = padAfter(info.inWidth, info.outWidth, left, info.effectiveFilterWidth, info.strideWidth);
  const empty = [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outChannels].some((size) => size === 0);
  if (bottom === null || right === null || empty || top < 0 || left < 0) return null;
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
    bottom,
    right,
  ];
}

/**
 * The one filter tap (as an index into the filter's [height * width] taps) through which every output pixel reads
 * the input pixel at the same place, if that is all the convolution reads: a 1x1 filter at stride 1 without pads, or
 * a 3x3 'same' filter on a 1x1 map (the deep layers of small images: only its centre reads input). Such a convolution
 * is one matrix product of the [pixels, channels] input by that tap's [in, out] block of the filter, which oneDNN's
 * matmul runs 1.5-10x faster than its convolution kernels on small maps.
 */
export function singleReadingTap(info: tf.backend_util.Conv2DInfo): number | null {
  const axis = (inSize: number, outSize: number, filterSize: number, stride: number, dilation: number, padBefore: number) => {
    if (inSize !== outSize || (stride !== 1 && outSize !== 1)) return null;
    // The tap that reads input pixel 0 at output pixel 0; no other tap may read input anywhere.
    if (padBefore % dilation !== 0) return null;
    const tap = padBefore / dilation;
    for (let other = 0; other < filterSize; other++) {
      if (other === tap) continue;
      for (let out = 0; out < outSize; out++) {
        const position = out * stride + other * dilation - padBefore;
        if (position >= 0 && position < inSize) return null;
      }
    }
    return tap < filterSize ? tap : null;
  };
  const row = axis(info.inHeight, info.outHeight, info.filterHeight, info.strideHeight, info.dilationHeight, info.padInfo.top);
  const column = axis(info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, info.dilationWidth, info.padInfo.left);
  return row === null || column === null ? null : row * info.filterWidth + column;
}

/**
 * Maps of at most this many output pixels are convolved as products over the input's columns (im2col): oneDNN's
 * convolution kernels run there at a tenth of its product's speed (ResNet-50's 2x2 and 4x4 stages on 32x32 images).
 */
const MAX_PIXELS_BY_COLUMNS = 16;

/** How oneDNN computes a convolution: which of the addon's three functions (see native/src). */
type Method = 'product' | 'columns' | 'convolution';

export function methodFor(info: tf.backend_util.Conv2DInfo): { method: Method; tap?: number } {
  const tap = singleReadingTap(info);
  if (tap !== null) return { method: 'product', tap };
  return { method: info.outHeight * info.outWidth <= MAX_PIXELS_BY_COLUMNS ? 'columns' : 'convolution' };
}

const allFloat32 = (...infos: (tf.TensorInfo | undefined)[]) => infos.every((info) => !info || info.dtype === 'float32');

const pixels = (info: tf.backend_util.Conv2DInfo) => info.batchSize * info.outHeight * info.outWidth;

/** The arguments of the addon's matMul after the heap: sizes, transposes, operands, bias, output, activation. */
function productArguments(
  [rows, inner, columns]: [number, number, number],
  [transposeA, transposeB]: [boolean, boolean],
  [a, b, bias, output]: [TensorArgument, TensorArgument, TensorArgument, TensorArgument],
  activation = 0,
  alpha = 0,
): TensorArgument[] {
  return [1, 1, rows, inner, columns, Number(transposeA), Number(transposeB), a, b, bias, output, activation, alpha];
}

/** The first value of a filter tap's [in, out] block in an HWIO filter. */
const tapStart = (info: tf.backend_util.Conv2DInfo, tap: number) => tap * info.inChannels * info.outChannels;

/** Forward convolution, with the bias and activation of FusedConv2D: one oneDNN primitive (activation as a post-op). */
function forward(addon: OneDnnAddon, kernelName: string, wasmFallback: NativeKernel['wasmFallback']): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
    const activation = ACTIVATION_CODES[attrs.activation ?? 'linear'];
    const info =
      attrs.dataFormat === 'NHWC' && activation !== undefined && !preluActivationWeights && allFloat32(x, filter, bias)
        ? tf.backend_util.computeConv2DInfo(
            x!.shape as Shape4,
            filter!.shape as Shape4,
            attrs.strides,
            attrs.dilations,
            attrs.pad,
            attrs.dimRoundingMode,
          )
        : undefined;
    const geometry = info && (!bias || bias.shape.reduce((a, b) => a * b, 1) === info.outChannels) ? nativeGeometry(info) : null;
    if (!info || !geometry) return null;
    const output = tensors.output(info.outShape);
    const heap = tensors.heap();
    const at = tensors.at;
    const alpha = attrs.leakyreluAlpha ?? 0;
    const { method, tap } = methodFor(info);
    if (method === 'product') {
      // [pixels, in] x the tap's [in, out] block of the HWIO filter.
      addon.matMul(
        heap,
        ...productArguments(
          [pixels(info), info.inChannels, info.outChannels],
          [false, false],
          [at(x), at(filter, tapStart(info, tap!)), at(bias), at(output)],
          activation,
          alpha,
        ),
      );
    } else {
      const convolve = method === 'columns' ? addon.conv2dForwardByColumns : addon.conv2dForward;
      convolve(heap, ...geometry, at(x), at(filter), at(bias), at(output), activation!, alpha);
    }
    return output;
  };
  return { kernelName, run, wasmFallback };
}

/** A convolution gradient: its two input tensors, geometry and output shape, or undefined where oneDNN is not given it. */
type GradientCase = { tensors: [tf.TensorInfo, tf.TensorInfo]; info: tf.backend_util.Conv2DInfo; outShape: number[] } | undefined;

/** A single-tap convolution's gradient as a product: (the call's tensors, geometry, tap, the two inputs, the output). */
type ProductGradient = (
  tensors: NativeTensors,
  info: tf.backend_util.Conv2DInfo,
  tap: number,
  first: tf.TensorInfo,
  second: tf.TensorInfo,
  output: tf.TensorInfo,
) => void;

/** A gradient's three ways (see Method): the addon's functions of (heap, geometry, first input, second input, output). */
interface GradientMethods {
  convolution: OneDnnAddon['conv2dInputGradient'];
  columns: OneDnnAddon['conv2dInputGradient'];
  product: ProductGradient;
}

function gradient(
  kernelName: string,
  replaced: tf.KernelConfig,
  read: (args: HeapKernelArgs) => GradientCase,
  methods: GradientMethods,
): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const gradientCase = read(args);
    const geometry = gradientCase && allFloat32(...gradientCase.tensors) ? nativeGeometry(gradientCase.info) : null;
    if (!gradientCase || !geometry) return null;
    const output = tensors.output(gradientCase.outShape);
    const [first, second] = gradientCase.tensors;
    const { info } = gradientCase;
    const { method, tap } = methodFor(info);
    if (method === 'product') methods.product(tensors, info, tap!, first, second, output);
    else methods[method](tensors.heap(), ...geometry, tensors.at(first), tensors.at(second), tensors.at(output));
    return output;
  };
  return { kernelName, run, wasmFallback: passOn(replaced) };
}

/** Gradient with respect to the input (dy, filter -> dx). */
function readInputGradient(args: HeapKernelArgs): GradientCase {
  const { dy, filter } = args.inputs as Record<string, tf.TensorInfo>;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== 'NHWC') return undefined;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
  return { tensors: [dy, filter], info, outShape: inputShape };
}

/** Gradient with respect to the filter (x, dy -> dFilter). */
function readFilterGradient(args: HeapKernelArgs): GradientCase {
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') return undefined;
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
  return { tensors: [x, dy], info, outShape: filterShape };
}

/** The convolution kernels of the native source; a case oneDNN is not given goes to the kernel it replaced. */
export function convolutionKernels(addon: OneDnnAddon): NativeKernel[] {
  // dx [pixels, in] = dy [pixels, out] x (the tap's [in, out] block)^T.
  const inputGradientAsProduct: ProductGradient = ({ heap, at }, info, tap, dy, filter, dx) =>
    addon.matMul(
      heap(),
      ...productArguments(
        [pixels(info), info.outChannels, info.inChannels],
        [false, true],
        [at(dy), at(filter, tapStart(info, tap)), -1, at(dx)],
      ),
    );
  // The tap's block of dFilter [in, out] = x^T [in, pixels] x dy [pixels, out]; the other taps' gradients are zero.
  const filterGradientAsProduct: ProductGradient = ({ heap, at }, info, tap, x, dy, dFilter) => {
    addon.fillZeros(heap(), at(dFilter), info.filterHeight * info.filterWidth * info.inChannels * info.outChannels);
    addon.matMul(
      heap(),
      ...productArguments(
        [info.inChannels, pixels(info), info.outChannels],
        [true, false],
        [at(x), at(dy), -1, at(dFilter, tapStart(info, tap))],
      ),
    );
  };
  return [
    forward(addon, tf.FusedConv2D, passOn(fusedConv2dConfig)),
    forward(addon, tf.Conv2D, (args) => runReplacedKernel(tf.Conv2D, args)),
    gradient(tf.Conv2DBackpropInput, conv2dBackpropInputConfig, readInputGradient, {
      convolution: addon.conv2dInputGradient,
      columns: addon.conv2dInputGradientByColumns,
      product: inputGradientAsProduct,
    }),
    gradient(tf.Conv2DBackpropFilter, conv2dBackpropFilterConfig, readFilterGradient, {
      convolution: addon.conv2dFilterGradient,
      columns: addon.conv2dFilterGradientByColumns,
      product: filterGradientAsProduct,
    }),
  ];
}
