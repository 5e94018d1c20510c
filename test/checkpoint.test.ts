import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { fileDigest, loadCheckpoint, MANIFEST } from '../src/run-directory';
import { BOUNDS, genuineCheckpoint, STATE, tinyModel } from './helpers/checkpoint-fixture';

beforeAll(() => tf.setBackend('cpu'));

let fixture: Awaited<ReturnType<typeof genuineCheckpoint>>;
beforeEach(async () => {
  fixture = await genuineCheckpoint();
});
afterEach(() => fs.rmSync(fixture.root, { recursive: true, force: true }));

const load = (dir = fixture.dir) => loadCheckpoint(dir, tinyModel(), tf.train.adam(0.01, 0.8, 0.95), BOUNDS);

/** Rewrites a checkpoint file and its manifest entry, as someone editing the checkpoint by hand would. */
function rewriteWithManifest(file: string, content: string): void {
  fs.writeFileSync(path.join(fixture.dir, file), content);
  const manifestFile = path.join(fixture.dir, MANIFEST);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.files[file] = fileDigest(path.join(fixture.dir, file));
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
}

test('a checkpoint restores the weights, the optimizer (Adam beta powers included) and the state exactly', async () => {
  const model = tinyModel();
  const optimizer = tf.train.adam(0.01, 0.8, 0.95);
  expect(await loadCheckpoint(fixture.dir, model, optimizer, BOUNDS)).toEqual(STATE);
  expect(model.getWeights().map((w) => w.arraySync())).toEqual(fixture.model.getWeights().map((w) => w.arraySync()));
  const hidden = (o: tf.Optimizer) =>
    ['accBeta1', 'accBeta2'].map((field) => (o as unknown as Record<string, tf.Variable>)[field].dataSync()[0]);
  // The products 0.8 * 0.8 * 0.8 and 0.95^3 in float32, not pow(beta, 3): those are what the next step uses.
  expect(hidden(optimizer)).toEqual(hidden(fixture.optimizer));
  expect(hidden(optimizer)).toEqual([Math.fround(Math.fround(Math.fround(0.8) * Math.fround(0.8)) * Math.fround(0.8)), expect.any(Number)]);
});

test.each([
  [
    'weights.bin',
    (bytes: Buffer) => bytes.subarray(0, bytes.length - 4),
    /weights\.bin: \d+ bytes where the checkpoint's manifest\.json says \d+ \(truncated or replaced\)$/,
  ],
  [
    'optimizer.bin',
    (bytes: Buffer) => Buffer.alloc(bytes.length, 0x5a),
    /optimizer\.bin: its sha256 differs from the one in the checkpoint's manifest\.json \(corrupted\)$/,
  ],
  [
    'state.json',
    (bytes: Buffer) => Buffer.from(bytes.toString().replace('"epoch": 2', '"epoch": 99')),
    /state\.json: \d+ bytes where the checkpoint's manifest\.json says \d+/,
  ],
  ['model.json', () => Buffer.alloc(0), /model\.json: 0 bytes where/],
])('a damaged %s is a one-line error naming it', async (file, damage, message) => {
  const target = path.join(fixture.dir, file);
  fs.writeFileSync(target, damage(fs.readFileSync(target)));
  await expect(load()).rejects.toThrow(message);
});

test('state.json claiming epoch 99 of 5 (manifest rewritten to match) is refused, naming the file', async () => {
  rewriteWithManifest('state.json', JSON.stringify({ ...STATE, epoch: 99 }));
  await expect(load()).rejects.toThrow(/state\.json: epoch 99 is not one of the run's 0\.\.5$/);
  rewriteWithManifest('state.json', JSON.stringify({ ...STATE, step: 4 }));
  await expect(load()).rejects.toThrow(/state\.json: step 4 is not within an epoch of 4 steps after epoch 2$/);
});

test('garbage weights.bin with a manifest rewritten to match names the file', async () => {
  rewriteWithManifest('weights.bin', 'x');
  await expect(load()).rejects.toThrow(/weights\.bin: does not hold the weights model\.json lists/);
});

test('an optimizer of another kind is refused, naming optimizer.json', async () => {
  await expect(loadCheckpoint(fixture.dir, tinyModel(), tf.train.sgd(0.1), BOUNDS)).rejects.toThrow(
    /optimizer\.json: saved by a Adam optimizer; the config builds SGD/,
  );
});

test('without a manifest there is no complete checkpoint', async () => {
  fs.rmSync(path.join(fixture.dir, MANIFEST));
  await expect(load()).rejects.toThrow(/^no checkpoint to resume from: .*last holds no complete checkpoint \(manifest\.json is missing\)$/);
});

describe('a crash during the swap leaves the newest complete checkpoint findable', () => {
  const older = { ...STATE, epoch: 1, step: 0, partial: null };
  /** `last` moved aside as an older checkpoint would be, the current one as the staged `last.tmp`. */
  function asOlder(dir: string): void {
    rewriteWithManifestIn(dir, 'state.json', JSON.stringify(older));
  }
  function rewriteWithManifestIn(dir: string, file: string, content: string): void {
    fs.writeFileSync(path.join(dir, file), content);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8'));
    manifest.files[file] = fileDigest(path.join(dir, file));
    fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest));
  }

  test('between the two renames (last.old and last.tmp, no last): the staged one, which is newer', async () => {
    fs.cpSync(fixture.dir, `${fixture.dir}.old`, { recursive: true });
    asOlder(`${fixture.dir}.old`);
    fs.renameSync(fixture.dir, `${fixture.dir}.tmp`);
    expect(await load()).toEqual(STATE);
  });

  test('while staging (last.tmp without its manifest): last', async () => {
    fs.cpSync(fixture.dir, `${fixture.dir}.tmp`, { recursive: true });
    fs.rmSync(path.join(`${fixture.dir}.tmp`, MANIFEST));
    asOlder(fixture.dir);
    expect(await load()).toEqual(older);
  });
});
