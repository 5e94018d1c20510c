import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { maxPoolGradConfig, poolGeometryNumbers } from '../kernels/max-pool-grad';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { NATIVE_MIN_VALUES } from './elementwise';
import { passOn, type NativeKernel, type NativeTensors } from './native-call';

type Shape4 = [number, number, number, number];

/** The 12 numbers of a pooling geometry as native/src/pooling.cc reads them, or null where it does not take it. */
function poolGeometry(input: tf.TensorInfo, attrs: tf.MaxPoolAttrs): number[] | null {
  if (input.dtype !== 'float32' || input.shape.length !== 4 || tf.util.sizeFromShape(input.shape) < NATIVE_MIN_VALUES) return null;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as Shape4,
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return info.outHeight <= 0 || info.outWidth <= 0 ? null : poolGeometryNumbers(info);
}

function maxPool(addon: OneDnnAddon): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const geometry = poolGeometry(x, args.attrs as unknown as tf.MaxPoolAttrs);
    if (!geometry) return null;
    const [batch, , , channels, outHeight, outWidth] = geometry;
    const output = tensors.output([batch, outHeight, outWidth, channels]);
    addon.maxPool(tensors.heap(), ...geometry, tensors.at(x), tensors.at(output));
    return output;
  };
  return { kernelName: tf.MaxPool, run, wasmFallback: (args) => runReplacedKernel(tf.MaxPool, args) };
}

function maxPoolGrad(addon: OneDnnAddon): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const geometry = dy.dtype === 'float32' ? poolGeometry(input, args.attrs as unknown as tf.MaxPoolGradAttrs) : null;
    if (!geometry) return null;
    const output = tensors.output(input.shape);
    const { at } = tensors;
    addon.maxPoolGrad(tensors.heap(), ...geometry, at(input), at(dy), at(output));
    return output;
  };
  return { kernelName: tf.MaxPoolGrad, run, wasmFallback: passOn(maxPoolGradConfig) };
}

/** MaxPool and MaxPoolGrad natively (native/src/pooling.cc); other dtypes and small inputs pass on. */
export function poolingKernels(addon: OneDnnAddon): NativeKernel[] {
  return [maxPool(addon), maxPoolGrad(addon)];
}
