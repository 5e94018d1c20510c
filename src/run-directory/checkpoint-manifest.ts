import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AcafError } from '../errors';
import { MODEL_JSON, WEIGHTS_BIN } from '../io/model-files';

/** The files of a checkpoint directory (checkpoints/last, checkpoints/best). */
export const CHECKPOINT_FILE = {
  modelJson: MODEL_JSON,
  weights: WEIGHTS_BIN,
  optimizerJson: 'optimizer.json',
  optimizerBin: 'optimizer.bin',
  state: 'state.json',
} as const;

/** Written last: a checkpoint without it is incomplete. */
export const MANIFEST = 'manifest.json';

export interface FileDigest {
  size: number;
  sha256: string;
}

/** A checkpoint's manifest.json: each file's size and SHA-256, checked before anything is loaded. */
export interface CheckpointManifest {
  files: Record<string, FileDigest>;
}

export function fileDigest(file: string): FileDigest {
  const bytes = fs.readFileSync(file);
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export function readManifest(dir: string): CheckpointManifest {
  const file = path.join(dir, MANIFEST);
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AcafError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const files = (manifest as Partial<CheckpointManifest> | null)?.files;
  const wellFormed = (entry: unknown) =>
    typeof entry === 'object' &&
    entry !== null &&
    Number.isInteger((entry as FileDigest).size) &&
    typeof (entry as FileDigest).sha256 === 'string';
  for (const name of Object.values(CHECKPOINT_FILE)) {
    if (typeof files !== 'object' || files === null || !wellFormed((files as Record<string, unknown>)[name]))
      throw new AcafError(`${file}: no size and sha256 for ${name}`);
  }
  return manifest as CheckpointManifest;
}

/** Every file the checkpoint needs is there with the manifest's size and checksum; otherwise one line naming the file. */
export function verifyManifest(dir: string, manifest: CheckpointManifest): void {
  for (const name of Object.values(CHECKPOINT_FILE)) {
    const file = path.join(dir, name);
    const expected = manifest.files[name];
    if (!fs.existsSync(file)) throw new AcafError(`${file}: missing, though the checkpoint's ${MANIFEST} lists it`);
    const actual = fileDigest(file);
    if (actual.size !== expected.size)
      throw new AcafError(`${file}: ${actual.size} bytes where the checkpoint's ${MANIFEST} says ${expected.size} (truncated or replaced)`);
    if (actual.sha256 !== expected.sha256)
      throw new AcafError(`${file}: its sha256 differs from the one in the checkpoint's ${MANIFEST} (corrupted)`);
  }
}
