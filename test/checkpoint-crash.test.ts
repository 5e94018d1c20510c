import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acaf, repoRoot } from './helpers/cli';

/**
 * Crash safety of the checkpoint swap, with a real process killed (SIGKILL) at each point of saving epoch 1's
 * checkpoints (ACAF_TEST_KILL_AT=<point>:<n>; saves: 1 last at epoch 0, 2 best and 3 last at epoch 1):
 * `acaf run --resume` must then find the newest complete checkpoint and end with the same metrics.csv and
 * checkpoints as an uninterrupted run.
 */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-crash-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function writeConfig(name: string): string {
  const file = path.join(work, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `name: ${name}
seed: 5
backend: cpu
data: { type: synthetic, shape: [4, 4, 1], classCount: 3, train: 24, test: 12 }
model: { network: { type: mlp, hiddenUnits: [6] }, activation: { type: at } }
train: { epochs: 2, batchSize: 8, optimizer: { type: adam } }
eval: { metrics: [{ type: accuracy }] }
output: { dir: ${path.join(work, 'runs')} }
`,
  );
  return file;
}

const metricsSansSeconds = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'metrics.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.slice(0, line.lastIndexOf(',')));
const onlyRunDir = (name: string) => path.join(work, 'runs', name, fs.readdirSync(path.join(work, 'runs', name))[0]);
const checkpointDirs = (dir: string) => fs.readdirSync(path.join(dir, 'checkpoints')).sort();

let reference: string;
beforeAll(() => {
  expect(acaf(['run', writeConfig('reference'), '--quiet']).code).toBe(0);
  reference = onlyRunDir('reference');
});

test.each([
  ['model-written:3', ['best', 'last', 'last.tmp']],
  ['state-written:3', ['best', 'last', 'last.tmp']],
  ['staged:3', ['best', 'last', 'last.tmp']],
  ['moved-aside:3', ['best', 'last.old', 'last.tmp']],
  ['published:3', ['best', 'last', 'last.old']],
  ['moved-aside:2', ['best.tmp', 'last']],
])('killed at %s: resume finds the newest complete checkpoint and ends as an uninterrupted run', (point, leftBehind) => {
  const name = `crash-${point.replace(':', '-')}`;
  const killed = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'run.js'), 'run', writeConfig(name), '--quiet'], {
    env: { ...process.env, ACAF_TEST_KILL_AT: point },
    encoding: 'utf8',
    timeout: 120000,
  });
  expect(killed.signal).toBe('SIGKILL');
  const dir = onlyRunDir(name);
  expect(checkpointDirs(dir)).toEqual(leftBehind);
  const resumed = acaf(['run', '--resume', dir, '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(metricsSansSeconds(dir)).toEqual(metricsSansSeconds(reference));
  expect(checkpointDirs(dir)).toEqual(['best', 'last']);
  for (const file of ['weights.bin', 'optimizer.bin', 'state.json'])
    expect(
      fs.readFileSync(path.join(dir, 'checkpoints/last', file)).equals(fs.readFileSync(path.join(reference, 'checkpoints/last', file))),
    ).toBe(true);
});
