import * as tf from '@tensorflow/tfjs';

/**
 * A source of wasm kernels: a named list of kernel configs for the 'wasm' backend. The package's own source is its
 * kernel pack (./kernels); another (native kernels, say) plugs in with registerKernelSource and is registered after
 * the ones before it, so its kernels replace theirs of the same name.
 */
export interface KernelSource {
  /** Named in errors and in the README's tables, e.g. 'wasm-simd'. */
  name: string;
  kernels: tf.KernelConfig[];
}

const sources: KernelSource[] = [];

/** tfjs-backend-wasm's own kernels that a source replaced, for kernels that delegate to them on their fast path. */
const replaced = new Map<string, tf.KernelConfig>();

/** Adds a source (once per name: a second source of the same name replaces the first). */
export function registerKernelSource(source: KernelSource): void {
  const index = sources.findIndex(({ name }) => name === source.name);
  if (index >= 0) sources[index] = source;
  else sources.push(source);
}

export function kernelSources(): readonly KernelSource[] {
  return sources;
}

/**
 * Registers every source's kernels for the wasm backend, in the order the sources were added, replacing
 * tfjs-backend-wasm's own kernel (or an earlier source's) of the same name; the replaced one stays callable with
 * runReplacedKernel. Call after loading @tensorflow/tfjs-backend-wasm (which registers its kernels on load);
 * calling again is a no-op.
 */
export function registerKernelSources(): void {
  for (const config of sources.flatMap(({ kernels }) => kernels)) {
    const registered = tf.getKernel(config.kernelName, 'wasm');
    if (registered?.kernelFunc === config.kernelFunc) continue; // already registered
    if (registered) {
      // The first replaced is tfjs-backend-wasm's own; a later source replacing an earlier one's keeps it.
      if (!replaced.has(config.kernelName)) replaced.set(config.kernelName, registered);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    // A replaced kernel we delegate to still needs its setup (binding its wasm function) when the backend starts.
    tf.registerKernel({ ...config, setupFunc: config.setupFunc ?? registered?.setupFunc });
  }
}

/** Runs tfjs-backend-wasm's own kernel that a source replaced (a kernel's fallback or fast path). */
export function runReplacedKernel(
  kernelName: string,
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const config = replaced.get(kernelName);
  if (!config)
    throw new Error(`tfjs-wasm-training replaced no '${kernelName}' kernel: register the kernels after loading tfjs-backend-wasm`);
  return config.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}
