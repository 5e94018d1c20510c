import * as tf from '@tensorflow/tfjs';
import { runReplacedKernel } from '../kernel-sources';
import type { WasmHeapBackend } from '../kernels/wasm-heap';
import type { OneDnnAddon } from './addon';
import { countRun, heapFloats, offsetOf, type KernelArgs } from './native-call';

/**
 * Below this many output values an element-wise op stays with tfjs-backend-wasm's kernel: its own call is as cheap as
 * the native one, and on a few thousand values the work is too small for the threads and wider vectors to repay the
 * call (the optimizer's updates of biases and scalars). Measured in the README's table of native kernels.
 */
export const NATIVE_MIN_VALUES = 4096;

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

const config = (kernelName: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo): tf.KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: kernelFunc as unknown as tf.KernelFunc,
});

function binaryKernel(addon: OneDnnAddon, kernelName: string): tf.KernelConfig {
  return config(kernelName, (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const layout = a.dtype === 'float32' && b.dtype === 'float32' ? binaryLayout(a, b) : null;
    const native = layout !== null && tf.util.sizeFromShape(layout.outShape) >= NATIVE_MIN_VALUES;
    countRun(kernelName, native);
    if (!native) return runReplacedKernel(kernelName, args);
    const output = (args.backend as WasmHeapBackend).makeOutput(layout.outShape, 'float32');
    const at = (tensor: tf.TensorInfo) => offsetOf(args.backend, tensor);
    addon.binary(heapFloats(args.backend, output), BINARY_OPS[kernelName], ...layout.numbers, at(a), at(b), at(output));
    return output;
  });
}

/** A unary op (x -> out of x's shape) with extra numbers from its attributes. */
function unaryKernel(kernelName: string, run: (heap: Float32Array, ...numbers: number[]) => void, extra: (args: KernelArgs) => number[]) {
  return config(kernelName, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const size = tf.util.sizeFromShape(x.shape);
    const native = x.dtype === 'float32' && size >= NATIVE_MIN_VALUES;
    countRun(kernelName, native);
    if (!native) return runReplacedKernel(kernelName, args);
    const output = (args.backend as WasmHeapBackend).makeOutput(x.shape, 'float32');
    run(heapFloats(args.backend, output), size, offsetOf(args.backend, x), offsetOf(args.backend, output), ...extra(args));
    return output;
  });
}

/** ReLU, Step (ReLU's gradient) and binary arithmetic natively; other dtypes, broadcasts and small tensors pass on. */
export function elementwiseKernels(addon: OneDnnAddon): tf.KernelConfig[] {
  return [
    unaryKernel(tf.Relu, addon.relu, () => []),
    unaryKernel(tf.Step, addon.step, (args) => [(args.attrs as unknown as tf.StepAttrs).alpha]),
    ...Object.keys(BINARY_OPS).map((kernelName) => binaryKernel(addon, kernelName)),
  ];
}
