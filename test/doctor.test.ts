import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acaf } from './helpers/cli';
import type { MachineReport } from '../src/doctor/machine-report';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-doctor-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const SAMPLE = path.join(__dirname, '..', 'data', 'fashion-mnist-sample');

/** A cache holding Fashion-MNIST (the sample's IDX files) and nothing else. */
function cacheWithFashionMnist(): string {
  const cache = path.join(work, 'cache');
  fs.mkdirSync(path.join(cache, 'fashion-mnist'), { recursive: true });
  for (const file of fs.readdirSync(SAMPLE)) fs.copyFileSync(path.join(SAMPLE, file), path.join(cache, 'fashion-mnist', file));
  return cache;
}

/**
 * A folder for NODE_PATH with @tensorflow/tfjs-node as npm leaves it when its install script did not run (the
 * package without deps/), and @tensorflow/tfjs-node-gpu with its libtensorflow folder but on a machine without CUDA.
 */
function nativePackagesWithoutTheirLibraries(): string {
  const modules = path.join(work, 'node_modules');
  for (const name of ['tfjs-node', 'tfjs-node-gpu']) {
    const dir = path.join(modules, '@tensorflow', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `@tensorflow/${name}`, version: '4.22.0', main: 'index.js' }));
    fs.writeFileSync(path.join(dir, 'index.js'), "throw new Error('not expected to be loaded');\n");
  }
  fs.mkdirSync(path.join(modules, '@tensorflow', 'tfjs-node-gpu', 'deps', 'lib'), { recursive: true });
  return modules;
}

test('doctor --json: wasm is what auto trains with, why the native backends are not, which datasets are found', () => {
  const cache = cacheWithFashionMnist();
  const { code, stdout, stderr } = acaf(['doctor', '--json'], { env: { ACAF_CACHE: cache } });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const report = JSON.parse(stdout) as MachineReport;
  expect(report.node).toBe(process.version);
  expect(report.cpu.cores).toBe(os.cpus().length);
  expect(report.memory.totalGiB).toBeCloseTo(os.totalmem() / 2 ** 30, 0);
  expect(report.auto).toBe('wasm');
  const backend = (name: string) => report.backends.find((check) => check.name === name)!;
  expect(backend('wasm')).toMatchObject({ usable: true, detail: expect.stringMatching(/^1 thread, /) as string });
  expect(report.wasm.kernelSources[0]).toBe('wasm-simd');
  expect(report.wasm).toMatchObject({ threads: 1, threadsFrom: 'ACAF_WASM_THREADS' });
  // Without libtensorflow (here: not installed, as an offline `npm ci` leaves it) each says exactly why.
  for (const [name, packageName] of [
    ['tensorflow', '@tensorflow/tfjs-node'],
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
  ]) {
    expect(backend(name).usable).toBe(false);
    expect(backend(name).detail).toMatch(new RegExp(`^${packageName} is (not installed|installed but .+)$`));
  }
  const dataset = (name: string) => report.datasets.find((check) => check.name === name)!;
  expect(dataset('fashion-mnist')).toEqual({ name: 'fashion-mnist', found: true, detail: path.join(cache, 'fashion-mnist') });
  expect(dataset('cifar10')).toMatchObject({ found: false, fetch: 'acaf data fetch cifar10' });
  expect(dataset('cifar10').detail).toContain(cache);
  expect(report.datasets.find((check) => check.name.startsWith('quickstart sample'))).toMatchObject({ found: true, detail: SAMPLE });
});

/** The stand-ins on NODE_PATH are found only where node_modules has no real native package. */
const realNativePackages = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].some((name) => {
  try {
    return Boolean(require.resolve(`${name}/package.json`));
  } catch {
    return false;
  }
});
const withStandIns = realNativePackages ? test.skip : test;

withStandIns('doctor names a native package whose install script did not run, and CUDA libraries that are missing', () => {
  const { code, stdout } = acaf(['doctor'], { env: { NODE_PATH: nativePackagesWithoutTheirLibraries(), LD_LIBRARY_PATH: '' } });
  expect(code).toBe(0);
  expect(stdout).toMatch(/backend: auto trains with wasm/);
  expect(stdout).toMatch(/tensorflow +no +@tensorflow\/tfjs-node is installed but its install script has not downloaded libtensorflow/);
  expect(stdout).toMatch(/to use it: on a machine online: npm rebuild @tensorflow\/tfjs-node\n/);
  expect(stdout).toMatch(
    /tensorflow-gpu +no +@tensorflow\/tfjs-node-gpu is installed but libcuda\.so\.1, libcudart\.so\.11\.0, libcudnn\.so\.8 are not found/,
  );
  expect(stdout).toContain('CUDA 11.2 (libcudart.so.11.0) and cuDNN 8.1 (libcudnn.so.8)');
});

withStandIns('acaf run says once, plainly, that an installed native backend is unusable and what to do', () => {
  const { code, stdout } = acaf(
    [
      'run',
      '--set',
      'train.epochs=1',
      '--set',
      'data.subset.train=32',
      '--set',
      'data.subset.test=16',
      '--output',
      path.join(work, 'runs'),
    ],
    { env: { NODE_PATH: nativePackagesWithoutTheirLibraries(), LD_LIBRARY_PATH: '' } },
  );
  expect(code).toBe(0);
  const notices = stdout.split('\n').filter((line) => line.startsWith('warning: backend'));
  expect(notices).toEqual([
    'warning: backend tensorflow-gpu is not used: @tensorflow/tfjs-node-gpu is installed but libcuda.so.1, libcudart.so.11.0, libcudnn.so.8 are not found; ' +
      'it needs CUDA 11.2 (libcudart.so.11.0) and cuDNN 8.1 (libcudnn.so.8) with an NVIDIA driver (libcuda.so.1); ' +
      'to use it: install them and put their folder on LD_LIBRARY_PATH, or use backend: tensorflow (CPU). ' +
      'backend tensorflow is not used: @tensorflow/tfjs-node is installed but its install script has not downloaded libtensorflow ' +
      '(npm runs it only when allowScripts approves it, and it needs internet); to use it: on a machine online: npm rebuild @tensorflow/tfjs-node. ' +
      'Using wasm; `acaf doctor` says more.',
  ]);
});
