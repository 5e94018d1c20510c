import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { fetchDataset } from '../src/data/fetch';
import { AcafError } from '../src/errors';
import { acaf } from './helpers/cli';
import { removeTempDirs, tempDir } from './helpers/data-fixtures';

afterAll(removeTempDirs);

/** A local HTTP server answering every request with `body`; no traffic leaves the machine. */
async function serve(body: Buffer): Promise<http.Server> {
  const server = http.createServer((_, response) => response.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function withMirror<T>(mirror: string, run: () => Promise<T>): Promise<T> {
  const saved = { mirror: process.env.ACAF_DATA_MIRROR, timeout: process.env.ACAF_FETCH_TIMEOUT_MS };
  process.env.ACAF_DATA_MIRROR = mirror;
  process.env.ACAF_FETCH_TIMEOUT_MS = '3000';
  try {
    return await run();
  } finally {
    for (const [key, value] of [
      ['ACAF_DATA_MIRROR', saved.mirror],
      ['ACAF_FETCH_TIMEOUT_MS', saved.timeout],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const fetchOptions = (root: string) => ({ root, format: 'binary' as const, log: () => undefined });

describe('data fetch', () => {
  it('fails fast without a network, saying where to put the files by hand', async () => {
    // A port that was just free: connecting to it is refused at once.
    const server = await serve(Buffer.alloc(0));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const root = tempDir();
    const started = Date.now();
    const error = await withMirror(`http://127.0.0.1:${port}`, () =>
      fetchDataset('cifar10', fetchOptions(root)).catch((caught: unknown) => caught),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(AcafError);
    const message = (error as Error).message;
    expect(message).toMatch(/cannot download cifar10 from http:\/\/127\.0\.0\.1:\d+\/cifar-10-binary\.tar\.gz \(ECONNREFUSED\)/);
    expect(message).toContain(
      `put cifar-10-binary.tar.gz (md5 c32a1d4ab5d03f1284b67883e8d87530, from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz) extracted as ${path.join(root, 'cifar-10-batches-bin')} by hand`,
    );
    expect(message).not.toContain('\n');
  });

  it('rejects a download whose checksum is not the official one and leaves nothing behind', async () => {
    const server = await serve(Buffer.from('not the real file'));
    const root = tempDir();
    try {
      const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const error = await withMirror(mirror, () => fetchDataset('fashion-mnist', fetchOptions(root)).catch((caught: unknown) => caught));
      expect((error as Error).message).toMatch(
        /train-images-idx3-ubyte\.gz: checksum mismatch \(md5 [0-9a-f]{32}, expected 8d4fb7e6c68d591d4c3dfef9ec88bf0d\)/,
      );
      expect(fs.readdirSync(path.join(root, 'fashion-mnist'))).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps a dataset folder that is already there', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'cifar-100-python'));
    fs.writeFileSync(path.join(root, 'cifar-100-python', 'meta'), '');
    const lines: string[] = [];
    const dir = await withMirror('http://127.0.0.1:1', () =>
      fetchDataset('cifar100', { ...fetchOptions(root), format: 'python', log: (line) => lines.push(line) }),
    );
    expect(dir).toBe(path.join(root, 'cifar-100-python'));
    expect(lines).toEqual([`cifar100: already in ${dir}`]);
  });
});

describe('data info (built CLI)', () => {
  it('prints the JSON summary of the shipped Fashion-MNIST sample', () => {
    const result = acaf(['data', 'info', '--dataset', 'fashion-mnist', '--dir', 'data/fashion-mnist-sample', '--json']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout);
    expect(summary.classes).toHaveLength(10);
    expect(summary.splits.train.size).toBe(2000);
    expect(summary.splits.test.shape).toEqual([28, 28, 1]);
    expect(summary.splits.train.labelCounts.reduce((a: number, b: number) => a + b, 0)).toBe(2000);
    expect(summary.splits.test.labelCounts).toHaveLength(10);
  });

  it('reports a missing directory as one line with a non-zero exit code', () => {
    const result = acaf(['data', 'info', '--dataset', 'cifar10', '--dir', 'no/such/dir']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^acaf: cifar10: data\.dir .*no\/such\/dir does not exist$/);
  });
});
