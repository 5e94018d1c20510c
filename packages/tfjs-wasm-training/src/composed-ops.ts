import * as tf from '@tensorflow/tfjs';

/**
 * An op of this package with a kernel name of its own: a backend may register a fused kernel under the name (the
 * native source does); elsewhere it runs as tfjs ops (`compose`), which are also registered as the cpu backend's
 * kernel: the oracle the fused kernels are tested against.
 */
export type ComposedOp = (inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => tf.Tensor[];

const composed = new Map<string, ComposedOp>();

/** Registers each op's composition as the cpu backend's kernel of its name (once) and for runOp's fallback. */
export function defineComposedOps(ops: Record<string, ComposedOp>): void {
  for (const [kernelName, compose] of Object.entries(ops)) {
    composed.set(kernelName, compose);
    if (!tf.getKernel(kernelName, 'cpu')) {
      tf.registerKernel({
        kernelName,
        backendName: 'cpu',
        kernelFunc: ({ inputs, attrs }) => runComposed(kernelName, inputs as tf.NamedTensorMap, attrs) as unknown as tf.TensorInfo[],
      });
    }
  }
}

/** The op's outputs: the active backend's kernel of that name, or the composition where it has none. */
export function runOp(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor[] {
  if (!tf.getKernel(kernelName, tf.getBackend())) return runComposed(kernelName, inputs, attrs);
  const outputs = tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(outputs) ? outputs : [outputs];
}

/** A defined op's outputs by its composition, its temporaries disposed (also a kernel's fallback for cases it does not take). */
export function runComposed(kernelName: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap): tf.Tensor[] {
  const compose = composed.get(kernelName);
  if (!compose) throw new Error(`tfjs-wasm-training defines no op '${kernelName}'`);
  return tf.tidy(() => compose(inputs, attrs ?? {}));
}
