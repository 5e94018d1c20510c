/**
 * Fuzzing checkpoint loading: each file of a genuine checkpoint, damaged (truncated, bit-flipped, a 4-byte field
 * set to an extreme value; see helpers/fuzz.ts), must load to exactly the saved weights or fail with one line
 * naming the damaged file: never an internal error, a hang or a crash.
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { CHECKPOINT_FILE, loadCheckpoint, MANIFEST } from '../src/run-directory';
import { BOUNDS, genuineCheckpoint, STATE, tinyModel } from './helpers/checkpoint-fixture';
import { expectResultOrOneLineError, fuzzParameters, fuzzTimeoutMs, mutatedBytes } from './helpers/fuzz';

let fixture: Awaited<ReturnType<typeof genuineCheckpoint>>;
let savedWeights: number[][][];
beforeAll(async () => {
  await tf.setBackend('cpu');
  fixture = await genuineCheckpoint();
  savedWeights = fixture.model.getWeights().map((w) => w.arraySync() as number[][]);
});
afterAll(() => fs.rmSync(fixture.root, { recursive: true, force: true }));

const RUNS = 40;

test.each([...Object.values(CHECKPOINT_FILE), MANIFEST])(
  'a damaged %s loads exactly or fails with one line naming it',
  async (name) => {
    const file = path.join(fixture.dir, name);
    const genuine = fs.readFileSync(file);
    await fc.assert(
      fc.asyncProperty(mutatedBytes(genuine), async ({ bytes }) => {
        fs.writeFileSync(file, bytes);
        const model = tinyModel();
        const optimizer = tf.train.adam(0.01, 0.8, 0.95);
        try {
          await expectResultOrOneLineError(
            file,
            () => loadCheckpoint(fixture.dir, model, optimizer, BOUNDS),
            (state) => {
              expect(state).toEqual(STATE);
              expect(model.getWeights().map((w) => w.arraySync())).toEqual(savedWeights);
            },
          );
        } finally {
          fs.writeFileSync(file, genuine);
          optimizer.dispose();
          model.dispose();
        }
      }),
      fuzzParameters(RUNS),
    );
  },
  fuzzTimeoutMs(RUNS * 6),
);
