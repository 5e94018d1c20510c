import * as tf from '@tensorflow/tfjs';

/**
 * Gradient checks of single tfjs kernels against central finite differences, and a recorder of the kernels a
 * computation runs (through `tf.engine().runKernel`, which every tfjs op and gradient function calls).
 */

/** One kernel call: its name, attributes and a copy of its inputs' values. */
export interface KernelCall {
  kernelName: string;
  attrs: tf.NamedAttrMap;
  /** Inputs by name; `asArray` when the op passed them as an array (Concat, AddN, Pack). */
  inputs: { name: string; shape: number[]; dtype: tf.DataType; values: tf.TypedArray }[];
  asArray: boolean;
}

type RunKernel = (kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => tf.Tensor | tf.Tensor[];

/**
 * Runs `body`, recording the kernel calls it makes: until it calls `startBackward`, with copies of their inputs
 * (the forward pass); after, by name only (the backward pass). Kernels a kernel runs inside itself are not counted.
 */
export function recordKernels(body: (startBackward: () => void) => void): { forward: KernelCall[]; backward: Set<string> } {
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel;
  const calls: KernelCall[] = [];
  const backwardNames = new Set<string>();
  let backward = false;
  let depth = 0;
  engine.runKernel = function (this: unknown, kernelName, inputs, attrs) {
    if (depth === 0 && !backward) {
      calls.push({
        kernelName,
        attrs: { ...attrs },
        asArray: Array.isArray(inputs),
        inputs: Object.entries(inputs)
          .filter(([, tensor]) => tensor !== undefined) // optional inputs left out (a batch norm without scale)
          .map(([name, tensor]) => ({
            name,
            shape: [...tensor.shape],
            dtype: tensor.dtype,
            values: tensor.dataSync().slice(),
          })),
      });
    }
    if (depth === 0 && backward) backwardNames.add(kernelName);
    depth++;
    try {
      return original.call(this, kernelName, inputs, attrs);
    } finally {
      depth--;
    }
  };
  try {
    body(() => (backward = true));
  } finally {
    engine.runKernel = original;
  }
  return { forward: calls, backward: backwardNames };
}

/** A small deterministic generator (mulberry32), so failures reproduce. */
export function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GradientComparison {
  input: string;
  index: number;
  analytic: number;
  numeric: number;
  /** |analytic - numeric| / scale, scale = the largest |analytic gradient| of that input (at least `floor`). */
  error: number;
}

export interface GradientCheckOptions {
  /** Elements checked per input. */
  samples?: number;
  /** Finite-difference step, relative to the element's |value| (at least 1/100 of the input's largest |value|). */
  step?: number;
  seed?: number;
}

const isFloat = (input: { dtype: tf.DataType }) => input.dtype === 'float32';

function runCall(call: KernelCall, values: Map<string, tf.Tensor>): tf.Tensor[] {
  const named = call.inputs.map((input) => values.get(input.name)!);
  const inputs = call.asArray ? named : Object.fromEntries(call.inputs.map((input, i) => [input.name, named[i]]));
  const outputs = (tf.engine() as unknown as { runKernel: RunKernel }).runKernel(call.kernelName, inputs as tf.NamedTensorMap, call.attrs);
  return Array.isArray(outputs) ? outputs : [outputs];
}

/**
 * Compares the gradient tfjs computes for one kernel call (through its registered gradient and the backend's
 * backward kernels) with central finite differences of sum(w * outputs) for fixed random weights w, the sum
 * taken in float64 from the float32 outputs. A sampled element where the one-sided differences disagree sits on
 * a kink (relu at 0, a tie in a max) and is replaced by another. Returns one comparison per checked element.
 */
export function checkKernelGradient(call: KernelCall, options: GradientCheckOptions = {}): GradientComparison[] {
  const random = randomGenerator(options.seed ?? 1);
  // Float inputs moved by up to 1% of themselves: breaks exact ties (ar starts with both of its lines equal, a max
  // over equal values has no derivative) and keeps every value's sign (variances stay positive).
  const values = new Map(
    call.inputs.map((input) => [
      input.name,
      isFloat(input) ? Float32Array.from(input.values, (v) => v * (1 + 0.02 * (random() - 0.5))) : input.values,
    ]),
  );
  const tensors = new Map(call.inputs.map((input) => [input.name, tf.tensor(values.get(input.name)!, input.shape, input.dtype)]));
  try {
    const probe = tf.tidy(() => runCall(call, tensors).map((output) => ({ shape: output.shape, dtype: output.dtype })));
    const weights = probe.map(({ shape, dtype }) =>
      dtype === 'float32' ? Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1) : undefined,
    );
    const loss = (values: Map<string, tf.Tensor>): number =>
      tf.tidy(() => {
        let total = 0;
        runCall(call, values).forEach((output, k) => {
          const w = weights[k];
          if (!w) return;
          const data = output.dataSync();
          for (let i = 0; i < w.length; i++) total += w[i] * data[i];
        });
        return total;
      });
    const comparisons: GradientComparison[] = [];
    for (const input of call.inputs.filter(isFloat)) {
      const analytic = analyticGradient(call, tensors, input.name, weights, probe);
      if (!analytic) continue;
      const own = values.get(input.name) as Float32Array;
      const magnitude = Math.max(...Array.from(own, Math.abs));
      // Relative to the element (rsqrt of a small variance needs a small step); an all-zero input (a fresh bias) gets 1e-3.
      const stepAt = (index: number) => (options.step ?? 1e-3) * (Math.max(Math.abs(own[index]), 1e-2 * magnitude) || 1);
      const scale = Math.max(1e-3, ...Array.from(analytic, Math.abs));
      const perturbed = (index: number, delta: number) => {
        const moved = new Map(tensors);
        const shifted = Float32Array.from(own);
        shifted[index] += delta;
        const tensor = tf.tensor(shifted, input.shape, 'float32');
        moved.set(input.name, tensor);
        const value = loss(moved);
        tensor.dispose();
        return value;
      };
      const centre = loss(tensors);
      let checked = 0;
      // Points at a kink, or where float32 rounding swamps the step, are skipped: allow many tries before giving up.
      for (let attempt = 0; attempt < 32 * (options.samples ?? 4) && checked < (options.samples ?? 4); attempt++) {
        const index = Math.floor(random() * own.length);
        const step = stepAt(index);
        const [plus, minus] = [perturbed(index, step), perturbed(index, -step)];
        // One-sided slopes differ by about step * f'' where f is smooth, by a jump that does not shrink with the step at
        // a kink (relu at 0, a tie in a max): such a point is replaced by another.
        // With a kink just outside x +- step/2, the half-step difference is the smooth one, so it is used.
        const gap = (h: number, up: number, down: number) => Math.abs((up - centre) / h - (centre - down) / h);
        const wide = gap(step, plus, minus);
        let numeric = (plus - minus) / (2 * step);
        if (wide > 1e-4 * scale) {
          const [halfPlus, halfMinus] = [perturbed(index, step / 2), perturbed(index, -step / 2)];
          if (gap(step / 2, halfPlus, halfMinus) > 0.75 * wide) continue;
          numeric = (halfPlus - halfMinus) / step;
        }
        comparisons.push({
          input: input.name,
          index,
          analytic: analytic[index],
          numeric,
          error: Math.abs(analytic[index] - numeric) / scale,
        });
        checked++;
      }
    }
    return comparisons;
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/** d sum(w * outputs) / d input through tfjs's gradient, or undefined when tfjs gives the input no gradient. */
function analyticGradient(
  call: KernelCall,
  tensors: Map<string, tf.Tensor>,
  name: string,
  weights: (Float32Array | undefined)[],
  probe: { shape: number[] }[],
): Float32Array | undefined {
  try {
    return tf.tidy(() => {
      const gradient = tf.grad((x: tf.Tensor) => {
        const values = new Map(tensors);
        values.set(name, x);
        const terms = runCall(call, values).flatMap((output, k) => {
          const w = weights[k];
          return w ? [tf.sum(tf.mul(output, tf.tensor(w, probe[k].shape)))] : [];
        });
        return tf.addN(terms);
      })(tensors.get(name)!);
      return gradient.dataSync().slice() as Float32Array;
    });
  } catch (error) {
    if (/Cannot compute gradient|gradient function not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
}
