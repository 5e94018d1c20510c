import * as fs from 'fs';
import { constants, gunzipSync } from 'zlib';
import { AcafError } from '../errors';

/**
 * Reading a data file that may be gzipped without trusting it: the decompressed size is limited before anything
 * is inflated, so a small hostile `.gz` cannot expand into gigabytes (a "decompression bomb").
 */

/** The largest data file acaf reads, decompressed (1 GiB; the largest IDX dataset, EMNIST by-class, is 550 MB). */
export const MAX_DATA_FILE_BYTES = 2 ** 30;

/** DEFLATE cannot expand data more than about 1032:1, so a gzip of n bytes never holds more than this. */
const maxInflatedSize = (compressed: number) => compressed * 1032 + 1024;

/** A gzip prefix this long yields the first bytes of any real file; at most ~16 MB are inflated to read them. */
const MAX_HEAD_PREFIX = 16 * 1024;

/** How large a file's decompressed data may be, and why (for the error message). */
export interface SizeLimit {
  bytes: number;
  reason: string;
}

export interface DataFileOptions {
  /** An upper bound for files of this kind (default: MAX_DATA_FILE_BYTES); a declared size replaces it. */
  bound?: SizeLimit;
  /** How many leading (decompressed) bytes `limitFromHead` needs, e.g. an IDX header. */
  headBytes?: number;
  /** The file's own size declaration, read from its first `headBytes` bytes; undefined when they declare none. */
  limitFromHead?: (head: Buffer) => SizeLimit | undefined;
}

const DEFAULT_BOUND: SizeLimit = { bytes: MAX_DATA_FILE_BYTES, reason: 'the largest data file acaf reads' };

/** The file's bytes, gunzipped when it is gzip (by its magic bytes, whatever its name), within a size limit. */
export function readDataFile(file: string, options: DataFileOptions = {}): Buffer {
  const bytes = readWhole(file);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    const declared = declaredLimit(bytes, options);
    if (declared && declared.bytes > MAX_DATA_FILE_BYTES) throw tooLarge(file, declared);
    return bytes;
  }
  const declared = declaredLimit(gunzipHead(bytes, options.headBytes ?? 0), options);
  if (declared && declared.bytes > MAX_DATA_FILE_BYTES) throw tooLarge(file, declared);
  if (declared && declared.bytes > maxInflatedSize(bytes.length)) {
    throw new AcafError(
      `${file}: ${declared.reason} is ${declared.bytes} bytes, more than its ${bytes.length} bytes of gzip data can hold (at most ${maxInflatedSize(bytes.length)})`,
    );
  }
  // Without a declaration of its own, a file may hold what its gzip data can, within the bound for its kind.
  const bound = options.bound ?? DEFAULT_BOUND;
  const limit = declared ?? { ...bound, bytes: Math.min(bound.bytes, maxInflatedSize(bytes.length)) };
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, limit.bytes) });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new AcafError(`${file}: decompressed size exceeds ${limit.bytes} bytes (${limit.reason})`);
    if (code === 'Z_BUF_ERROR') throw new AcafError(`${file}: truncated gzip data (${message})`);
    throw new AcafError(`${file}: corrupt gzip data (${message})`);
  }
}

function readWhole(file: string): Buffer {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_DATA_FILE_BYTES) throw tooLarge(file, { bytes: size, reason: 'the file' });
    return fs.readFileSync(file);
  } catch (error) {
    if (error instanceof AcafError) throw error;
    throw new AcafError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function declaredLimit(head: Buffer, { headBytes = 0, limitFromHead }: DataFileOptions): SizeLimit | undefined {
  return head.length >= headBytes ? limitFromHead?.(head.subarray(0, headBytes)) : undefined;
}

function tooLarge(file: string, limit: SizeLimit): AcafError {
  return new AcafError(`${file}: ${limit.reason} is ${limit.bytes} bytes, more than the ${MAX_DATA_FILE_BYTES} bytes acaf reads from one data file`);
}

/** The first `count` decompressed bytes (fewer when the data is shorter, truncated or corrupt there). */
function gunzipHead(bytes: Buffer, count: number): Buffer {
  if (count === 0) return Buffer.alloc(0);
  for (let prefix = 256; ; prefix *= 4) {
    let head: Buffer;
    try {
      // A sync flush inflates what the prefix holds instead of failing because the stream does not end there.
      head = gunzipSync(bytes.subarray(0, prefix), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      head = Buffer.alloc(0);
    }
    if (head.length >= count || prefix >= bytes.length || prefix >= MAX_HEAD_PREFIX) return head.subarray(0, count);
  }
}
