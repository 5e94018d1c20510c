import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AcafError } from '../errors';
import type { BackendName, BackendPlugin } from './types';

/** What tfjs-node-gpu 4.22 (libtensorflow 2.9.1) loads from the system besides the NVIDIA driver. */
export const GPU_REQUIREMENTS = 'CUDA 11.2 (libcudart.so.11.0) and cuDNN 8.1 (libcudnn.so.8) with an NVIDIA driver (libcuda.so.1)';
const GPU_LIBRARIES = ['libcuda.so.1', 'libcudart.so.11.0', 'libcudnn.so.8'];

/**
 * Why a native backend cannot be used. `installed` says whether the package is there at all: one that is installed
 * but unusable is worth telling the user about; one that is simply absent is the ordinary case.
 */
export class NativeBackendUnusable extends AcafError {
  constructor(
    message: string,
    readonly installed: boolean,
    /** What to do about it, one sentence. */
    readonly fix?: string,
  ) {
    super(message);
  }
}

function packageDir(packageName: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    return undefined;
  }
}

/** Shared libraries of `names` that neither LD_LIBRARY_PATH nor the dynamic loader's cache (ldconfig -p) has. */
export function missingSharedLibraries(names: string[]): string[] {
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  let cache = '';
  for (const ldconfig of ['ldconfig', '/sbin/ldconfig']) {
    try {
      cache = execFileSync(ldconfig, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      break;
    } catch {
      // not on PATH (or not Linux): try the next, else only LD_LIBRARY_PATH counts
    }
  }
  return names.filter((name) => !cache.includes(`${name} `) && !dirs.some((dir) => fs.existsSync(path.join(dir, name))));
}

/** Throws NativeBackendUnusable unless `packageName` is installed with its libtensorflow (and, for the GPU, CUDA). */
export function checkNativeInstall(packageName: string, gpu: boolean): void {
  const dir = packageDir(packageName);
  if (!dir) throw new NativeBackendUnusable(`${packageName} is not installed`, false, `npm install ${packageName}@4.22.0 (online)`);
  if (!fs.existsSync(path.join(dir, 'deps', 'lib'))) {
    throw new NativeBackendUnusable(
      `${packageName} is installed but its install script has not downloaded libtensorflow (npm runs it only when allowScripts approves it, and it needs internet)`,
      true,
      `on a machine online: npm rebuild ${packageName}`,
    );
  }
  if (gpu && process.platform === 'linux') {
    const missing = missingSharedLibraries(GPU_LIBRARIES);
    if (missing.length) {
      throw new NativeBackendUnusable(
        `${packageName} is installed but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not found; it needs ${GPU_REQUIREMENTS}`,
        true,
        'install them and put their folder on LD_LIBRARY_PATH, or use backend: tensorflow (CPU)',
      );
    }
  }
}

/**
 * A libtensorflow binding (`@tensorflow/tfjs-node` or `-gpu`): an optional dependency, so it is resolved and
 * loaded only when asked for. Both register the tfjs backend called `tensorflow`.
 */
export function nativeBackend(name: BackendName, packageName: string): BackendPlugin {
  return {
    name,
    async activate() {
      checkNativeInstall(packageName, name === 'tensorflow-gpu');
      try {
        require(packageName);
      } catch (error) {
        const reason = (error as Error).message.split('\n')[0];
        throw new NativeBackendUnusable(
          `${packageName} is installed but failed to load: ${reason}`,
          true,
          `reinstall it online: npm rebuild ${packageName}`,
        );
      }
      if (!(await tf.setBackend('tensorflow')))
        throw new NativeBackendUnusable(`${packageName} loaded but its backend did not initialise`, true);
    },
    cannotTrainReason: () => undefined,
  };
}
