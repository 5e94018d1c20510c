import { AcafError } from '../errors';
import { NativeBackendUnusable } from './native';
import { backends } from '../registry';
import type { BackendChoice } from '../config/types';
import { BackendSettingError, type BackendName } from './types';

/** `backend: auto` tries these in order. */
export const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'onednn', 'cpu'];

export interface BackendSelection {
  name: BackendName;
  /** What the backend reported when it started (e.g. wasm's thread count), if anything. */
  detail?: string;
  /** One line saying why this backend was chosen, e.g. for the first output line and env.json. */
  reason: string;
  /** Which kernels ran so far (see BackendPlugin.kernelReport), where the backend says. */
  kernels?: () => object;
  skipped: { name: BackendName; reason: string }[];
  /**
   * A native backend that is installed but cannot be used, and what to do about it: said once per process (a matrix
   * selects a backend for every run), so set on the first selection that meets it only.
   */
  notice?: string;
}

let noticeGiven = false;

/** The installed but unusable native backends among `skipped`, in plain sentences, once per process. */
function unusableNativeNotice(skipped: { name: BackendName; error: unknown }[], chosen: BackendName): string | undefined {
  const unusable = skipped.filter(
    (s): s is { name: BackendName; error: NativeBackendUnusable } => s.error instanceof NativeBackendUnusable && s.error.installed,
  );
  if (!unusable.length || noticeGiven) return undefined;
  noticeGiven = true;
  const sentences = unusable.map(
    ({ name, error }) => `backend ${name} is not used: ${error.message}${error.fix ? `; to use it: ${error.fix}` : ''}.`,
  );
  return `${sentences.join(' ')} Using ${chosen}; \`acaf doctor\` says more.`;
}

/** What selectBackend is asked for: training or not, and under `auto` a backend to pass over and why. */
export interface BackendPurpose {
  training: boolean;
  passOver?: { name: BackendName; reason: string };
}

/**
 * Activates the configured backend. `auto` takes the first of AUTO_ORDER that loads (and, for training, can
 * train); an explicit choice that cannot be used is an error.
 */
export async function selectBackend(choice: BackendChoice, purpose: BackendPurpose): Promise<BackendSelection> {
  if (choice !== 'auto') {
    const backend = backends.build(choice, {}, undefined);
    const detail = await backend.activate().catch((error: Error) => {
      throw new AcafError(`backend '${choice}' cannot be used: ${error.message}`);
    });
    const cannotTrain = purpose.training ? backend.cannotTrainReason() : undefined;
    if (cannotTrain) throw new AcafError(`backend '${choice}' cannot train: ${cannotTrain}`);
    return { name: choice, detail: detail || undefined, reason: 'requested by the config', skipped: [], kernels: backend.kernelReport };
  }
  const skipped: BackendSelection['skipped'] = [];
  const failures: { name: BackendName; error: unknown }[] = [];
  for (const name of AUTO_ORDER) {
    if (name === purpose.passOver?.name) {
      skipped.push(purpose.passOver);
      continue;
    }
    const backend = backends.build(name, {}, undefined);
    let detail: string | void;
    try {
      detail = await backend.activate();
    } catch (error) {
      if (error instanceof BackendSettingError) throw error;
      skipped.push({ name, reason: (error as Error).message });
      failures.push({ name, error });
      continue;
    }
    const cannotTrain = purpose.training ? backend.cannotTrainReason() : undefined;
    if (cannotTrain) {
      skipped.push({ name, reason: cannotTrain });
      continue;
    }
    const why = skipped.length ? `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}` : '';
    const notice = unusableNativeNotice(failures, name);
    const reason = `auto: first usable of ${AUTO_ORDER.join(', ')}${why}`;
    return { name, detail: detail || undefined, reason, skipped, notice, kernels: backend.kernelReport };
  }
  throw new AcafError(`no backend could be used: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}
