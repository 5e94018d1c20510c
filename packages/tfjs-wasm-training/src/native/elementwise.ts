import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import { RELU_GRADIENT } from '../relu-gradient';
import { runComposed } from '../composed-ops';
import type { HeapKernelArgs } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import type { NativeKernel, NativeTensors } from './native-call';

/**
 * Below this many values a memory-bound kernel stays with the kernel it replaced: on smaller tensors (the optimizer's
 * updates of most weights, biases, scalars) the native call costs as much as the work it saves. Measured within
 * ResNet-50 and GoogLeNet training steps (README, "Memory-bound kernels").
 */
export const NATIVE_MIN_VALUES = 32768;

/** The binary ops by name, with the code native/src/elementwise.cc gives them. */
const BINARY_OPS: Record<string, number> = { [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2, [tf.RealDiv]: 3, [tf.Maximum]: 4 };

/** How an operand lies against the [rows, channels] output (native/src/elementwise.cc's Layout). */
const FULL = 0;
const PER_CHANNEL = 1;
const SCALAR = 2;

/**
 * The output's [rows, channels], each operand's layout and the output shape, where the operands are both full, or
 * one is full and the other a per-channel vector ([C] or [1, ..., 1, C]) or a scalar; null for other broadcasts.
 */
export function binaryLayout(a: tf.TensorInfo, b: tf.TensorInfo): { numbers: number[]; outShape: number[] } | null {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const size = tf.util.sizeFromShape(outShape);
  const channels = outShape.length ? outShape[outShape.length - 1] : 1;
  const layout = (operand: tf.TensorInfo) => {
    const values = tf.util.sizeFromShape(operand.shape);
    if (values === size) return FULL;
    if (values === 1) return SCALAR;
    return values === channels && operand.shape[operand.shape.length - 1] === channels ? PER_CHANNEL : null;
  };
  const [layoutA, layoutB] = [layout(a), layout(b)];
  if (size === 0 || layoutA === null || layoutB === null || (layoutA !== FULL && layoutB !== FULL)) return null;
  return { numbers: [size / channels, channels, layoutA, layoutB], outShape };
}

function binaryKernel(addon: OneDnnAddon, kernelName: string): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const layout = a.dtype === 'float32' && b.dtype === 'float32' ? binaryLayout(a, b) : null;
    if (layout === null || tf.util.sizeFromShape(layout.outShape) < NATIVE_MIN_VALUES) return null;
    const output = tensors.output(layout.outShape);
    const { at } = tensors;
    addon.binary(tensors.heap(), BINARY_OPS[kernelName], ...layout.numbers, at(a), at(b), at(output));
    return output;
  };
  return { kernelName, run, wasmFallback: (args) => runReplacedKernel(kernelName, args) };
}

/** ReLU: out = max(x, 0). */
function reluKernel(addon: OneDnnAddon): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const size = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== 'float32' || size < NATIVE_MIN_VALUES) return null;
    const output = tensors.output(x.shape);
    addon.relu(tensors.heap(), size, tensors.at(x), tensors.at(output));
    return output;
  };
  return { kernelName: tf.Relu, run, wasmFallback: (args) => runReplacedKernel(tf.Relu, args) };
}

/** ReLU's gradient (the package's op): out = dy * step(x), in one pass where tfjs runs three kernels. */
function reluGradientKernel(addon: OneDnnAddon): NativeKernel {
  const run = (args: HeapKernelArgs, tensors: NativeTensors) => {
    const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    if (dy.dtype !== 'float32' || x.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, x.shape)) return null;
    const output = tensors.output(x.shape);
    const { at } = tensors;
    addon.reluGradient(tensors.heap(), tf.util.sizeFromShape(x.shape), at(dy), at(x), at(output));
    return output;
  };
  return { kernelName: RELU_GRADIENT, run, wasmFallback: (args) => runComposed(RELU_GRADIENT, args.inputs as tf.NamedTensorMap)[0] };
}

/** ReLU, its gradient and binary arithmetic natively; other dtypes, broadcasts and small tensors pass on. */
export function elementwiseKernels(addon: OneDnnAddon): NativeKernel[] {
  return [reluKernel(addon), reluGradientKernel(addon), ...Object.keys(BINARY_OPS).map((kernelName) => binaryKernel(addon, kernelName))];
}
