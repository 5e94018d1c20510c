import { AcafError } from '../errors';
import { backends } from '../registry';
import type { BackendChoice } from '../config/types';
import type { BackendName } from './types';

/** `backend: auto` tries these in order. */
export const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendSelection {
  name: BackendName;
  /** What the backend reported when it started (e.g. wasm's thread count), if anything. */
  detail?: string;
  /** One line saying why this backend was chosen, e.g. for the first output line and env.json. */
  reason: string;
  skipped: { name: BackendName; reason: string }[];
}

/**
 * Activates the configured backend. `auto` takes the first of AUTO_ORDER that loads (and, for training, can
 * train); an explicit choice that cannot be used is an error.
 */
export async function selectBackend(choice: BackendChoice, purpose: { training: boolean }): Promise<BackendSelection> {
  if (choice !== 'auto') {
    const backend = backends.build(choice, {}, undefined);
    const detail = await backend.activate().catch((error: Error) => {
      throw new AcafError(`backend '${choice}' cannot be used: ${error.message}`);
    });
    const cannotTrain = purpose.training ? backend.cannotTrainReason() : undefined;
    if (cannotTrain) throw new AcafError(`backend '${choice}' cannot train: ${cannotTrain}`);
    return { name: choice, detail: detail || undefined, reason: 'requested by the config', skipped: [] };
  }
  const skipped: BackendSelection['skipped'] = [];
  for (const name of AUTO_ORDER) {
    const backend = backends.build(name, {}, undefined);
    let detail: string | void;
    try {
      detail = await backend.activate();
    } catch (error) {
      skipped.push({ name, reason: (error as Error).message });
      continue;
    }
    const cannotTrain = purpose.training ? backend.cannotTrainReason() : undefined;
    if (cannotTrain) {
      skipped.push({ name, reason: cannotTrain });
      continue;
    }
    const why = skipped.length ? `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}` : '';
    return { name, detail: detail || undefined, reason: `auto: first usable of ${AUTO_ORDER.join(', ')}${why}`, skipped };
  }
  throw new AcafError(`no backend could be used: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}
