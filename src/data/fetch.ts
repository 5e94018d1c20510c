import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import type { ReadableStream } from 'stream/web';
import { SingleBar, Presets } from 'cli-progress';
import * as tar from 'tar';
import { AcafError } from '../errors';

/** One file to download from its official URL, with the checksum its publisher gives. */
interface DownloadFile {
  url: string;
  md5: string;
}

/** What `acaf data fetch <name>` downloads, and the folder it ends up as under the cache. */
interface DownloadSource {
  files: DownloadFile[];
  /** The folder the dataset plugin reads, relative to the cache root. */
  folder: string;
  /** Archives are tar.gz files extracted into the cache root; otherwise files are kept as they are in `folder`. */
  archive: boolean;
}

const KRIZHEVSKY = 'https://www.cs.toronto.edu/~kriz';
const ZALANDO = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';

/** Checksums as published on https://www.cs.toronto.edu/~kriz/cifar.html and in the Fashion-MNIST README. */
export const SOURCES: Record<string, DownloadSource> = {
  'cifar10-binary': { files: [{ url: `${KRIZHEVSKY}/cifar-10-binary.tar.gz`, md5: 'c32a1d4ab5d03f1284b67883e8d87530' }], folder: 'cifar-10-batches-bin', archive: true },
  'cifar10-python': { files: [{ url: `${KRIZHEVSKY}/cifar-10-python.tar.gz`, md5: 'c58f30108f718f92721af3b95e74349a' }], folder: 'cifar-10-batches-py', archive: true },
  'cifar100-binary': { files: [{ url: `${KRIZHEVSKY}/cifar-100-binary.tar.gz`, md5: '03b5dce01913d631647c71ecec9e9cb8' }], folder: 'cifar-100-binary', archive: true },
  'cifar100-python': { files: [{ url: `${KRIZHEVSKY}/cifar-100-python.tar.gz`, md5: 'eb9058c3a382ffc7106e4002c42a8d85' }], folder: 'cifar-100-python', archive: true },
  'fashion-mnist': {
    files: [
      { url: `${ZALANDO}/train-images-idx3-ubyte.gz`, md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
      { url: `${ZALANDO}/train-labels-idx1-ubyte.gz`, md5: '25c81989df183df01b3e8a0aad5dffbe' },
      { url: `${ZALANDO}/t10k-images-idx3-ubyte.gz`, md5: 'bef4ecab320f06d8554ea6380940ec79' },
      { url: `${ZALANDO}/t10k-labels-idx1-ubyte.gz`, md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
    ],
    folder: 'fashion-mnist',
    archive: false,
  },
};

export const FETCHABLE = ['cifar10', 'cifar100', 'fashion-mnist'] as const;
export type FetchableDataset = (typeof FETCHABLE)[number];

export interface FetchOptions {
  /** Cache root the dataset folder goes into. */
  root: string;
  /** CIFAR distribution: the binary version (what the paper's code reads) or the Python pickles. */
  format: 'binary' | 'python';
  /** Show a progress bar on stderr. */
  progress: boolean;
  log: (line: string) => void;
}

function sourceOf(name: FetchableDataset, format: FetchOptions['format']): DownloadSource {
  return SOURCES[name === 'fashion-mnist' ? name : `${name}-${format}`];
}

/** ACAF_DATA_MIRROR replaces everything before the file name of the official URLs (a local mirror, or tests). */
function urlOf(file: DownloadFile): string {
  const mirror = process.env.ACAF_DATA_MIRROR;
  return mirror ? `${mirror.replace(/\/$/, '')}/${path.posix.basename(file.url)}` : file.url;
}

/** Seconds to wait for a server to answer before deciding there is no network. */
function connectTimeoutMs(): number {
  return Number(process.env.ACAF_FETCH_TIMEOUT_MS) || 15000;
}

/**
 * Downloads a dataset into `<root>/<folder>` with a checksum check of every file, extracting archives.
 * Returns the folder; a folder already there is kept as it is.
 */
export async function fetchDataset(name: FetchableDataset, options: FetchOptions): Promise<string> {
  const source = sourceOf(name, options.format);
  const target = path.join(options.root, source.folder);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    options.log(`${name}: already in ${target}`);
    return target;
  }
  const downloadDir = source.archive ? options.root : target;
  fs.mkdirSync(downloadDir, { recursive: true });
  for (const file of source.files) {
    const destination = path.join(downloadDir, path.posix.basename(file.url));
    await download(file, destination, name, target, options);
    if (source.archive) {
      await tar.x({ file: destination, cwd: options.root });
      fs.rmSync(destination);
    }
  }
  options.log(`${name}: ready in ${target}`);
  return target;
}

async function download(file: DownloadFile, destination: string, name: string, target: string, options: FetchOptions): Promise<void> {
  const url = urlOf(file);
  const byHand = `put ${path.posix.basename(file.url)} (md5 ${file.md5}, from ${file.url}) ${file.url.endsWith('.tar.gz') ? `extracted as ${target}` : `into ${target}`} by hand`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), connectTimeoutMs());
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal });
  } catch (error) {
    const reason = controller.signal.aborted ? `no answer within ${connectTimeoutMs() / 1000} s` : describeNetworkError(error);
    throw new AcafError(`cannot download ${name} from ${url} (${reason}); without internet, ${byHand}`);
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body) throw new AcafError(`cannot download ${name} from ${url} (HTTP ${response.status}); ${byHand}`);

  const total = Number(response.headers.get('content-length')) || 0;
  const bar = options.progress ? new SingleBar({ format: `${path.posix.basename(url)} [{bar}] {percentage}% {value}/{total} bytes`, stream: process.stderr }, Presets.shades_classic) : undefined;
  bar?.start(total, 0);
  const hash = createHash('md5');
  const partial = `${destination}.part`;
  const out = fs.createWriteStream(partial);
  let received = 0;
  try {
    for await (const chunk of Readable.fromWeb(response.body as ReadableStream<Uint8Array>)) {
      hash.update(chunk);
      received += chunk.length;
      bar?.update(received);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new AcafError(`download of ${url} broke off after ${received} bytes (${describeNetworkError(error)}); run the command again`);
  } finally {
    bar?.stop();
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  const md5 = hash.digest('hex');
  if (md5 !== file.md5) {
    fs.rmSync(partial, { force: true });
    throw new AcafError(`${url}: checksum mismatch (md5 ${md5}, expected ${file.md5}); the download is corrupt or not the official file`);
  }
  fs.renameSync(partial, destination);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
