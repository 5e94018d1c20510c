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
  /** A terminal to draw a progress bar on; without one, a line per file goes to `log`. */
  progress?: NodeJS.WritableStream;
  log: (line: string) => void;
  /** A base URL that replaces the official URLs' folders (a local mirror); default $ACAF_DATA_MIRROR. */
  mirror?: string;
}

function sourceOf(name: FetchableDataset, format: FetchOptions['format']): DownloadSource {
  return SOURCES[name === 'fashion-mnist' ? name : `${name}-${format}`];
}

const fileName = (file: DownloadFile) => path.posix.basename(file.url);

/** The mirror replaces everything before the file name of the official URLs. */
function urlOf(file: DownloadFile, mirror: string | undefined): string {
  return mirror ? `${mirror.replace(/\/$/, '')}/${fileName(file)}` : file.url;
}

/** Milliseconds without any data from the server (before it answers, or between chunks) before giving up. */
function stallTimeoutMs(): number {
  return Number(process.env.ACAF_FETCH_TIMEOUT_MS) || 15000;
}

/**
 * The md5 each file must have. From the official URLs always the publisher's. A mirror may serve other files (a
 * subset, or test archives): $ACAF_FETCH_MANIFEST names a JSON file `{ "<file name>": "<md5>" }` whose entries
 * replace the official checksums for files from the mirror only.
 */
function checksumsFor(files: DownloadFile[], mirror: string | undefined): Map<DownloadFile, string> {
  const manifestFile = process.env.ACAF_FETCH_MANIFEST;
  if (!manifestFile) return new Map(files.map((file) => [file, file.md5]));
  if (!mirror) throw new AcafError(`ACAF_FETCH_MANIFEST applies only to files from a mirror (--mirror or ACAF_DATA_MIRROR); the official files always have their published checksums`);
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new AcafError(`ACAF_FETCH_MANIFEST ${manifestFile}: ${(error as Error).message.split('\n')[0]}`);
  }
  return new Map(
    files.map((file) => {
      const md5 = manifest[fileName(file)] ?? file.md5;
      if (typeof md5 !== 'string' || !/^[0-9a-f]{32}$/.test(md5)) {
        throw new AcafError(`ACAF_FETCH_MANIFEST ${manifestFile}: ${fileName(file)} must map to an md5 (32 hex digits)`);
      }
      return [file, md5];
    }),
  );
}

/** Whether the dataset's folder is complete: for archives, extracted and not empty; otherwise every file there. */
function alreadyThere(source: DownloadSource, target: string): boolean {
  if (!fs.existsSync(target)) return false;
  if (source.archive) return fs.readdirSync(target).length > 0;
  return source.files.every((file) => fs.existsSync(path.join(target, fileName(file))));
}

/**
 * Downloads a dataset into `<root>/<folder>` with a checksum check of every file, extracting archives.
 * Returns the folder; a complete folder already there is kept as it is. A download that breaks off or stalls
 * keeps its part (`<file>.part`), and the next fetch resumes it where the server allows, else starts over.
 */
export async function fetchDataset(name: FetchableDataset, options: FetchOptions): Promise<string> {
  const source = sourceOf(name, options.format);
  const target = path.join(options.root, source.folder);
  if (alreadyThere(source, target)) {
    options.log(`${name}: already in ${target}`);
    return target;
  }
  const mirror = options.mirror ?? process.env.ACAF_DATA_MIRROR;
  const checksums = checksumsFor(source.files, mirror);
  const downloadDir = source.archive ? options.root : target;
  fs.mkdirSync(downloadDir, { recursive: true });
  for (const file of source.files) {
    const destination = path.join(downloadDir, fileName(file));
    if (!fs.existsSync(destination)) {
      await download({ file, md5: checksums.get(file)!, url: urlOf(file, mirror), destination, name, target }, options);
    }
    if (source.archive) {
      await tar.x({ file: destination, cwd: options.root });
      if (!fs.existsSync(target)) throw new AcafError(`${destination}: the archive holds no ${source.folder} folder`);
      fs.rmSync(destination);
    }
  }
  options.log(`${name}: ready in ${target}`);
  return target;
}

interface Download {
  file: DownloadFile;
  md5: string;
  url: string;
  destination: string;
  name: string;
  target: string;
}

/** A timer that aborts `controller` when `reset` is not called for `ms`; `stalled` says whether it fired. */
function stallWatch(controller: AbortController, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const watch = {
    stalled: false,
    reset: () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        watch.stalled = true;
        controller.abort();
      }, ms);
    },
    stop: () => clearTimeout(timer),
  };
  return watch;
}

/** Whether a response continues a part of `offset` bytes: 206 with a Content-Range starting there. */
const continues = (response: Response, offset: number) =>
  response.status === 206 && new RegExp(`^bytes ${offset}-`).test(response.headers.get('content-range') ?? '');

/**
 * Downloads one file to `<destination>.part`, hashing as it goes, then renames it to `destination`. A part left
 * by an earlier try is continued with a Range request; a server that answers with the whole file (200) starts it
 * over; one that refuses the range (416) gets a fresh request.
 */
async function download(job: Download, options: FetchOptions): Promise<void> {
  const { file, url, destination, name, target } = job;
  const byHand = `put ${fileName(file)} (md5 ${file.md5}, from ${file.url}) ${file.url.endsWith('.tar.gz') ? `extracted as ${target}` : `into ${target}`} by hand`;
  const partial = `${destination}.part`;
  const timeoutMs = stallTimeoutMs();
  const controller = new AbortController();
  const watch = stallWatch(controller, timeoutMs);
  let offset = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
  let received = 0;
  let total = 0;
  const request = async (range: boolean) => {
    watch.reset();
    try {
      return await fetch(url, { signal: controller.signal, headers: range ? { Range: `bytes=${offset}-` } : {} });
    } catch (error) {
      const reason = watch.stalled ? `no answer within ${timeoutMs / 1000} s` : describeNetworkError(error);
      throw new AcafError(`cannot download ${name} from ${url} (${reason}); without internet, ${byHand}`);
    }
  };
  try {
    let response = await request(offset > 0);
    if (offset > 0 && !continues(response, offset)) {
      if (response.status === 416 || response.status === 206) {
        await response.body?.cancel();
        offset = 0;
        response = await request(false);
      } else offset = 0;
    }
    if (!response.ok || !response.body) throw new AcafError(`cannot download ${name} from ${url} (HTTP ${response.status}); ${byHand}`);
    const hash = createHash('md5');
    if (offset > 0) for await (const chunk of fs.createReadStream(partial)) hash.update(chunk as Buffer);
    total = offset + (Number(response.headers.get('content-length')) || 0);
    received = offset;
    if (offset > 0) options.log(`${fileName(file)}: resuming at ${offset} of ${total} bytes`);
    else options.log(`${fileName(file)}: downloading ${total ? `${total} bytes ` : ''}from ${url}`);
    const bar = options.progress
      ? new SingleBar({ format: `${fileName(file)} [{bar}] {percentage}% {value}/{total} bytes`, stream: options.progress }, Presets.shades_classic)
      : undefined;
    bar?.start(total, received);
    const out = fs.createWriteStream(partial, { flags: offset > 0 ? 'a' : 'w' });
    try {
      for await (const chunk of Readable.fromWeb(response.body as ReadableStream<Uint8Array>)) {
        watch.reset();
        hash.update(chunk);
        received += chunk.length;
        bar?.update(received);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    } catch (error) {
      const what = watch.stalled ? `stalled (no data for ${timeoutMs / 1000} s)` : `broke off (${describeNetworkError(error)})`;
      throw new AcafError(`download of ${url} ${what} after ${received}${total ? ` of ${total}` : ''} bytes; run the command again to resume`);
    } finally {
      bar?.stop();
      await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    const md5 = hash.digest('hex');
    if (md5 !== job.md5) {
      fs.rmSync(partial, { force: true });
      throw new AcafError(`${url}: checksum mismatch (md5 ${md5}, expected ${job.md5}); the download is corrupt or not the official file, and is removed`);
    }
    options.log(`${fileName(file)}: ${received} bytes, md5 ${md5} as expected`);
    fs.renameSync(partial, destination);
  } finally {
    watch.stop();
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
