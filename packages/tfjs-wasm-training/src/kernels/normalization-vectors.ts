import * as tf from '@tensorflow/tfjs';
import { runComposed } from '../composed-ops';
import { MOVING_AVERAGES, movingAveragePairs, NORMALIZATION_GRADIENT_SCALES } from '../normalization-ops';
import { heapKernelConfig, heapOutputs, type HeapKernelArgs } from './wasm-heap';

/**
 * Batch normalisation's per-channel arithmetic (../normalization-ops) as one JavaScript loop over the heap each: the
 * vectors hold one value per channel (a few thousand at most), where each tfjs op they replace costs far more in
 * engine and dispatch overhead than in arithmetic. Every step is rounded to float32 with Math.fround, as the cpu
 * backend's kernels store their float64 results (x / y, x * y, x + y and Rsqrt's 1 / Math.sqrt(x)), so the results
 * equal the composed tfjs ops' on the cpu backend bit for bit. (tfjs-backend-wasm's own Rsqrt, 1.0f / sqrtf(x) in
 * float32, may differ from that in the last bit.) Inputs that are not float32, or not of one shape, run as the tfjs ops.
 */
function takesLoop(inputs: tf.TensorInfo[]): boolean {
  return inputs.every(
    (input) => input.dtype === 'float32' && tf.util.arraysEqual(input.shape, inputs[0].shape) && tf.util.sizeFromShape(input.shape) > 0,
  );
}

function composed({ inputs, attrs }: HeapKernelArgs, kernelName: string): tf.TensorInfo[] {
  return runComposed(kernelName, inputs as tf.NamedTensorMap, attrs) as unknown as tf.TensorInfo[];
}

const round = Math.fround;

function gradientScales(args: HeapKernelArgs): tf.TensorInfo[] {
  const { variance, gamma, dySums, centeredSums } = args.inputs as Record<string, tf.TensorInfo>;
  const vectors = [variance, gamma, dySums, centeredSums];
  if (!takesLoop(vectors)) return composed(args, NORMALIZATION_GRADIENT_SCALES);
  const { epsilon, count } = args.attrs as { epsilon: number; count: number };
  const {
    outputs,
    outputValues: [dGammaOut, dyScaleOut, centeredScaleOut, shiftOut],
    inputValues: [varianceIn, gammaIn, dySumsIn, centeredSumsIn],
  } = heapOutputs(
    args.backend,
    [0, 1, 2, 3].map(() => variance.shape),
    'float32',
    vectors,
  );
  // The tfjs ops' scalar operands are float32 tensors.
  const [epsilon32, negativeCount] = [round(epsilon), round(-count)];
  for (let channel = 0; channel < varianceIn.length; channel++) {
    const invStd = round(1 / Math.sqrt(round(varianceIn[channel] + epsilon32)));
    const dGamma = round(centeredSumsIn[channel] * invStd);
    const dyScale = round(gammaIn[channel] * invStd);
    dGammaOut[channel] = dGamma;
    dyScaleOut[channel] = dyScale;
    centeredScaleOut[channel] = round(round(round(dyScale * invStd) * dGamma) / negativeCount);
    shiftOut[channel] = round(round(dyScale * dySumsIn[channel]) / negativeCount);
  }
  return outputs;
}

function movingAverages(args: HeapKernelArgs): tf.TensorInfo[] {
  const pairs = movingAveragePairs(args.inputs as Record<string, tf.TensorInfo>);
  if (!pairs.every((pair) => takesLoop(pair))) return composed(args, MOVING_AVERAGES);
  const { momentum } = args.attrs as { momentum: number };
  const [momentum32, complement32] = [round(momentum), round(1 - momentum)];
  const { outputs, outputValues, inputValues } = heapOutputs(
    args.backend,
    pairs.map(([average]) => average.shape),
    'float32',
    pairs.flat(),
  );
  outputValues.forEach((averaged, pair) => {
    const [average, value] = [inputValues[2 * pair], inputValues[2 * pair + 1]];
    for (let i = 0; i < averaged.length; i++) averaged[i] = round(round(average[i] * momentum32) + round(value[i] * complement32));
  });
  return outputs;
}

export const normalizationGradientScalesConfig = heapKernelConfig(NORMALIZATION_GRADIENT_SCALES, gradientScales);
export const movingAveragesConfig = heapKernelConfig(MOVING_AVERAGES, movingAverages);
