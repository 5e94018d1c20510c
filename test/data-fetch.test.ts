import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import * as tar from 'tar';
import { fetchDataset, FetchOptions } from '../src/data/fetch';
import { AcafError } from '../src/errors';
import { acaf, acafAsync } from './helpers/cli';
import { FIXTURES, removeTempDirs, tempDir, writeCifar10Binary, writeIdxDataset } from './helpers/data-fixtures';
import { Behaviour, startFileServer } from './helpers/file-server';

// `acaf data fetch` against a real HTTP server on 127.0.0.1 serving archives in the official layouts, built here.

afterAll(removeTempDirs);

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** `folder` (made by `write` in a scratch dir) as a tar.gz, the way the official CIFAR archives hold it. */
async function tarGz(folder: string, write: (root: string) => void): Promise<Buffer> {
  const scratch = tempDir();
  write(scratch);
  const file = path.join(scratch, 'archive.tar.gz');
  await tar.c({ gzip: true, file, cwd: scratch }, [folder]);
  return fs.readFileSync(file);
}

const cifar10Labels = { train: [] as number[], test: [] as number[] };
const archives: Record<string, Buffer> = {};
const fashionFiles: Record<string, Buffer> = {};

beforeAll(async () => {
  archives['cifar-10-binary.tar.gz'] = await tarGz('cifar-10-batches-bin', (root) =>
    Object.assign(cifar10Labels, writeCifar10Binary(root)),
  );
  // the Python version: pickles made by CPython (test/fixtures/data/make-pickles.py)
  archives['cifar-10-python.tar.gz'] = await tarGz('cifar-10-batches-py', (root) =>
    fs.cpSync(path.join(FIXTURES, 'cifar-10-batches-py-py3-proto2'), path.join(root, 'cifar-10-batches-py'), { recursive: true }),
  );
  const dir = writeIdxDataset(
    path.join(tempDir(), 'fashion'),
    {
      train: { images: new Uint8Array(3 * 28 * 28).fill(7), labels: Uint8Array.from([1, 2, 9]), height: 28, width: 28 },
      t10k: { images: new Uint8Array(2 * 28 * 28).fill(9), labels: Uint8Array.from([0, 4]), height: 28, width: 28 },
    },
    true,
  );
  for (const file of fs.readdirSync(dir)) fashionFiles[file] = fs.readFileSync(path.join(dir, file));
});

/** A manifest of the served files' md5s (ACAF_FETCH_MANIFEST: the checksums a mirror's files must have). */
function manifest(files: Record<string, Buffer>, wrong: string[] = []): string {
  const file = path.join(tempDir(), 'manifest.json');
  const entries = Object.entries(files).map(([name, bytes]) => [name, wrong.includes(name) ? md5(Buffer.from('other')) : md5(bytes)]);
  fs.writeFileSync(file, JSON.stringify(Object.fromEntries(entries)));
  return file;
}

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Fetches in this process from a server of `files` answering by `behaviour`; returns the log, error and requests. */
async function fetchFrom(
  files: Record<string, Buffer>,
  options: {
    root: string;
    dataset?: 'cifar10' | 'fashion-mnist';
    format?: 'binary' | 'python';
    behaviour?: (file: string, attempt: number) => Behaviour;
    env?: Record<string, string>;
  },
) {
  const server = await startFileServer(files, options.behaviour);
  const lines: string[] = [];
  try {
    const fetchOptions: FetchOptions = {
      root: options.root,
      format: options.format ?? 'binary',
      log: (line) => lines.push(line),
      mirror: server.url,
    };
    const env = { ACAF_FETCH_MANIFEST: manifest(files), ACAF_FETCH_TIMEOUT_MS: '3000', ...options.env };
    const error = await withEnv(env, () =>
      fetchDataset(options.dataset ?? 'cifar10', fetchOptions).then(
        () => undefined,
        (caught: Error) => caught,
      ),
    );
    return { lines, error, requests: server.requests };
  } finally {
    await server.close();
  }
}

const dataInfo = (dataset: string, dir: string) => {
  const result = acaf(['data', 'info', '--dataset', dataset, '--dir', dir, '--json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { splits: Record<'train' | 'test', { size: number; labelCounts: number[] }> };
};

const countsOf = (labels: number[], classes = 10) =>
  Array.from({ length: classes }, (_, label) => labels.filter((l) => l === label).length);

describe('success: download, progress, checksum, extraction into the cache', () => {
  test('acaf data fetch cifar10 --mirror: the binary archive extracted under ACAF_CACHE, read by the cifar10 plugin', async () => {
    const cache = tempDir();
    const server = await startFileServer(archives);
    try {
      const env = { ACAF_CACHE: cache, ACAF_FETCH_MANIFEST: manifest(archives) };
      const result = await acafAsync(['data', 'fetch', 'cifar10', '--mirror', server.url], { env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const size = archives['cifar-10-binary.tar.gz'].length;
      expect(result.stdout.trim().split('\n')).toEqual([
        `cifar-10-binary.tar.gz: downloading ${size} bytes from ${server.url}/cifar-10-binary.tar.gz`,
        `cifar-10-binary.tar.gz: ${size} bytes, md5 ${md5(archives['cifar-10-binary.tar.gz'])} as expected`,
        `cifar10: ready in ${path.join(cache, 'cifar-10-batches-bin')}`,
      ]);
      expect(fs.readdirSync(cache)).toEqual(['cifar-10-batches-bin']);
      const info = dataInfo('cifar10', path.join(cache, 'cifar-10-batches-bin'));
      expect(info.splits.train).toMatchObject({ size: 10, labelCounts: countsOf(cifar10Labels.train) });
      expect(info.splits.test).toMatchObject({ size: 3, labelCounts: countsOf(cifar10Labels.test) });
      // a second fetch finds it and downloads nothing
      const again = await acafAsync(['data', 'fetch', 'cifar10', '--mirror', server.url], { env });
      expect(again.stdout.trim()).toBe(`cifar10: already in ${path.join(cache, 'cifar-10-batches-bin')}`);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('the CIFAR Python layout and Fashion-MNIST gz files land where their plugins read them', async () => {
    const root = tempDir();
    const python = await fetchFrom(archives, { root, format: 'python' });
    expect(python.error).toBeUndefined();
    expect(fs.readdirSync(root)).toEqual(['cifar-10-batches-py']);
    // the CPython-made fixture (test/fixtures/data/make-pickles.py): 5 batches of 3 training images, 2 test images
    const pythonInfo = dataInfo('cifar10', path.join(root, 'cifar-10-batches-py'));
    expect([pythonInfo.splits.train.size, pythonInfo.splits.test.size]).toEqual([15, 2]);
    const fashion = await fetchFrom(fashionFiles, { root, dataset: 'fashion-mnist' });
    expect(fashion.error).toBeUndefined();
    expect(fs.readdirSync(path.join(root, 'fashion-mnist')).sort()).toEqual(Object.keys(fashionFiles).sort());
    const info = dataInfo('fashion-mnist', path.join(root, 'fashion-mnist'));
    expect(info.splits.train).toMatchObject({ size: 3, labelCounts: countsOf([1, 2, 9]) });
    expect(info.splits.test).toMatchObject({ size: 2, labelCounts: countsOf([0, 4]) });
  });

  test('on a terminal, a progress bar ends at 100% of the file size', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    let drawn = '';
    terminal.on('data', (chunk) => (drawn += chunk));
    const server = await startFileServer(archives);
    try {
      await withEnv({ ACAF_FETCH_MANIFEST: manifest(archives) }, () =>
        fetchDataset('cifar10', { root: tempDir(), format: 'binary', log: () => undefined, mirror: server.url, progress: terminal }),
      );
    } finally {
      await server.close();
    }
    const size = archives['cifar-10-binary.tar.gz'].length;
    expect(drawn).toContain(`cifar-10-binary.tar.gz [`);
    expect(drawn).toContain(`] 100% ${size}/${size} bytes`);
  });
});

describe('failures: one line, nothing half-done left where a plugin would read it', () => {
  const half = () => Math.floor(archives['cifar-10-binary.tar.gz'].length / 2);

  test('a download cut off keeps its part; the next fetch resumes it with a Range request', async () => {
    const root = tempDir();
    const cut = await fetchFrom(archives, { root, behaviour: (_, attempt) => (attempt === 0 ? { breakAfter: half() } : 'serve') });
    expect(cut.error).toBeInstanceOf(AcafError);
    expect(cut.error!.message).toMatch(
      /^download of http:\/\/127\.0\.0\.1:\d+\/cifar-10-binary\.tar\.gz broke off \(.+\) after \d+ of \d+ bytes; run the command again to resume$/,
    );
    const part = path.join(root, 'cifar-10-binary.tar.gz.part');
    const kept = fs.statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(root, 'cifar-10-batches-bin'))).toBe(false);

    const resumed = await fetchFrom(archives, { root });
    expect(resumed.error).toBeUndefined();
    expect(resumed.requests).toEqual([{ file: 'cifar-10-binary.tar.gz', range: `bytes=${kept}-` }]);
    expect(resumed.lines[0]).toBe(`cifar-10-binary.tar.gz: resuming at ${kept} of ${archives['cifar-10-binary.tar.gz'].length} bytes`);
    expect(fs.readdirSync(root)).toEqual(['cifar-10-batches-bin']);
    expect(dataInfo('cifar10', path.join(root, 'cifar-10-batches-bin')).splits.train.size).toBe(10);
  });

  test('a server that ignores the Range header: the download starts over cleanly', async () => {
    const root = tempDir();
    await fetchFrom(archives, { root, behaviour: () => ({ breakAfter: half() }) });
    const restarted = await fetchFrom(archives, { root, behaviour: () => 'ignore-range' });
    expect(restarted.error).toBeUndefined();
    expect(restarted.lines[0]).toMatch(/^cifar-10-binary\.tar\.gz: downloading \d+ bytes from /);
    expect(dataInfo('cifar10', path.join(root, 'cifar-10-batches-bin')).splits.test.size).toBe(3);
  });

  test('a checksum mismatch removes the file and says so in one line', async () => {
    const root = tempDir();
    const server = await startFileServer(fashionFiles);
    try {
      const env = { ACAF_FETCH_MANIFEST: manifest(fashionFiles, ['train-labels-idx1-ubyte.gz']), ACAF_CACHE: root };
      const result = await acafAsync(['data', 'fetch', 'fashion-mnist', '--mirror', server.url], { env });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^acaf: http:\/\/127\.0\.0\.1:\d+\/train-labels-idx1-ubyte\.gz: checksum mismatch \(md5 [0-9a-f]{32}, expected [0-9a-f]{32}\); the download is corrupt or not the official file, and is removed$/,
        ),
      ]);
      expect(fs.readdirSync(path.join(root, 'fashion-mnist'))).toEqual(['train-images-idx3-ubyte.gz']);
    } finally {
      await server.close();
    }
  });

  test('a server that stalls mid-file or never answers: a timeout, one line', async () => {
    const env = { ACAF_FETCH_TIMEOUT_MS: '500' };
    const started = Date.now();
    const midway = await fetchFrom(archives, { root: tempDir(), behaviour: () => ({ stallAfter: half() }), env });
    expect(midway.error!.message).toMatch(
      /^download of \S+ stalled \(no data for 0\.5 s\) after \d+ of \d+ bytes; run the command again to resume$/,
    );
    const silent = await fetchFrom(archives, { root: tempDir(), behaviour: () => 'silent', env });
    expect(silent.error!.message).toMatch(
      /^cannot download cifar10 from \S+ \(no answer within 0\.5 s\); without internet, put cifar-10-binary\.tar\.gz/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a manifest of checksums applies only to a mirror: the official files keep their published md5', async () => {
    const error = await withEnv({ ACAF_FETCH_MANIFEST: manifest(archives), ACAF_DATA_MIRROR: '' }, () =>
      fetchDataset('cifar10', { root: tempDir(), format: 'binary', log: () => undefined }).catch((caught: Error) => caught),
    );
    expect((error as Error).message).toBe(
      'ACAF_FETCH_MANIFEST applies only to files from a mirror (--mirror or ACAF_DATA_MIRROR); the official files always have their published checksums',
    );
  });
});
