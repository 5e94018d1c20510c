import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { maxPoolGradConfig, poolGeometryNumbers } from '../kernels/max-pool-grad';
import { heapKernelConfig, type HeapKernelArgs, type WasmHeapBackend } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { NATIVE_MIN_VALUES } from './elementwise';
import { countRun, heapFloats, offsetOf, passOn } from './native-call';

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

function maxPool(addon: OneDnnAddon) {
  return (args: HeapKernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const geometry = poolGeometry(x, args.attrs as unknown as tf.MaxPoolAttrs);
    countRun(tf.MaxPool, geometry !== null);
    if (!geometry) return runReplacedKernel(tf.MaxPool, args);
    const [batch, , , channels, outHeight, outWidth] = geometry;
    const output = (args.backend as WasmHeapBackend).makeOutput([batch, outHeight, outWidth, channels], 'float32');
    addon.maxPool(heapFloats(args.backend, output), ...geometry, offsetOf(args.backend, x), offsetOf(args.backend, output));
    return output;
  };
}

function maxPoolGrad(addon: OneDnnAddon) {
  return (args: HeapKernelArgs): tf.TensorInfo => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const geometry = dy.dtype === 'float32' ? poolGeometry(input, args.attrs as unknown as tf.MaxPoolGradAttrs) : null;
    countRun(tf.MaxPoolGrad, geometry !== null);
    if (!geometry) return passOn(maxPoolGradConfig)(args);
    const output = (args.backend as WasmHeapBackend).makeOutput(input.shape, 'float32');
    const at = (tensor: tf.TensorInfo) => offsetOf(args.backend, tensor);
    addon.maxPoolGrad(heapFloats(args.backend, output), ...geometry, at(input), at(dy), at(output));
    return output;
  };
}

/** MaxPool and MaxPoolGrad natively (native/src/pooling.cc); other dtypes and small inputs pass on. */
export function poolingKernels(addon: OneDnnAddon): tf.KernelConfig[] {
  return [heapKernelConfig(tf.MaxPool, maxPool(addon)), heapKernelConfig(tf.MaxPoolGrad, maxPoolGrad(addon))];
}
