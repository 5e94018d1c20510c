import { AcafError } from '../errors';

/**
 * A backend setting the user got wrong (an environment variable, say): an error even under `backend: auto`, which
 * otherwise passes over a backend that fails to start.
 */
export class BackendSettingError extends AcafError {}

/** Names accepted by `backend:` in configs, besides `auto`. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'onednn' | 'cpu';

/** A way to run tfjs kernels; built by the `backends` registry. */
export interface BackendPlugin {
  name: BackendName;
  /**
   * Loads what it needs and makes it the active tfjs backend; throws an AcafError saying why it can't.
   * May return a detail worth reporting with the choice (e.g. wasm's thread count).
   */
  activate(): Promise<string | void>;
  /** Why it cannot train the registered networks, or undefined when it can. */
  cannotTrainReason(): string | undefined;
  /** Which kernels ran so far and how (wasm: its kernel sources, the native implementations), for env.json. */
  kernelReport?(): object;
}
