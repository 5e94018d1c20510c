import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { conv2dBackpropFilterConfig } from '../kernels/conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from '../kernels/conv2d-backprop-input';
import { fusedConv2dConfig } from '../kernels/fused-conv2d';
import type { WasmHeapBackend } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { ACTIVATION_CODES, countRun, heapFloats, offsetOf, passOn, type KernelArgs } from './native-call';

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

const allFloat32 = (...infos: (tf.TensorInfo | undefined)[]) => infos.every((info) => !info || info.dtype === 'float32');

/** Forward convolution, with the bias and activation of FusedConv2D: one oneDNN primitive (activation as a post-op). */
function forward(addon: OneDnnAddon, kernelName: string, fallback: (args: KernelArgs) => tf.TensorInfo | tf.Tensor) {
  return (args: KernelArgs): tf.TensorInfo | tf.Tensor => {
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
    countRun(kernelName, geometry !== null);
    if (!info || !geometry) return fallback(args);
    const output = (args.backend as WasmHeapBackend).makeOutput(info.outShape, 'float32');
    const at = (tensor?: tf.TensorInfo) => offsetOf(args.backend, tensor);
    addon.conv2dForward(
      heapFloats(args.backend, output),
      ...geometry,
      at(x),
      at(filter),
      at(bias),
      at(output),
      activation!,
      attrs.leakyreluAlpha ?? 0,
    );
    return output;
  };
}

/** A convolution gradient: its two input tensors, geometry and output shape, or undefined where oneDNN is not given it. */
type GradientCase = { tensors: [tf.TensorInfo, tf.TensorInfo]; info: tf.backend_util.Conv2DInfo; outShape: number[] } | undefined;

function gradient(
  kernelName: string,
  replaced: tf.KernelConfig,
  read: (args: KernelArgs) => GradientCase,
  run: (heap: Float32Array, ...numbers: number[]) => void,
) {
  return (args: KernelArgs): tf.TensorInfo | tf.Tensor => {
    const gradientCase = read(args);
    const geometry = gradientCase && allFloat32(...gradientCase.tensors) ? nativeGeometry(gradientCase.info) : null;
    countRun(kernelName, !!geometry);
    if (!gradientCase || !geometry) return passOn(replaced)(args);
    const output = (args.backend as WasmHeapBackend).makeOutput(gradientCase.outShape, 'float32');
    const [first, second] = gradientCase.tensors.map((tensor) => offsetOf(args.backend, tensor));
    run(heapFloats(args.backend, output), ...geometry, first, second, offsetOf(args.backend, output));
    return output;
  };
}

/** Gradient with respect to the input (dy, filter -> dx). */
function readInputGradient(args: KernelArgs): GradientCase {
  const { dy, filter } = args.inputs as Record<string, tf.TensorInfo>;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== 'NHWC') return undefined;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
  return { tensors: [dy, filter], info, outShape: inputShape };
}

/** Gradient with respect to the filter (x, dy -> dFilter). */
function readFilterGradient(args: KernelArgs): GradientCase {
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') return undefined;
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
  return { tensors: [x, dy], info, outShape: filterShape };
}

/** The convolution kernels of the native source; a case oneDNN is not given goes to the kernel it replaced. */
export function convolutionKernels(addon: OneDnnAddon): tf.KernelConfig[] {
  const kernel = (kernelName: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo | tf.Tensor): tf.KernelConfig => ({
    kernelName,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  });
  return [
    kernel(tf.FusedConv2D, forward(addon, tf.FusedConv2D, passOn(fusedConv2dConfig))),
    kernel(
      tf.Conv2D,
      forward(addon, tf.Conv2D, (args) => runReplacedKernel(tf.Conv2D, args)),
    ),
    kernel(
      tf.Conv2DBackpropInput,
      gradient(tf.Conv2DBackpropInput, conv2dBackpropInputConfig, readInputGradient, addon.conv2dInputGradient),
    ),
    kernel(
      tf.Conv2DBackpropFilter,
      gradient(tf.Conv2DBackpropFilter, conv2dBackpropFilterConfig, readFilterGradient, addon.conv2dFilterGradient),
    ),
  ];
}
