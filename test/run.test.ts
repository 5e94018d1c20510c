import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acaf, acafInterrupted, repoRoot } from './helpers/cli';

// End-to-end through the built CLI (dist/): a tiny MLP on 256 Fashion-MNIST sample images, 3 epochs.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-run-'));
const runs = path.join(work, 'runs');
const config = path.join(work, 'tiny.yaml');
fs.writeFileSync(
  config,
  `name: tiny
seed: 3
backend: cpu
data: { type: fashion-mnist, dir: ${path.join(repoRoot, 'data/fashion-mnist-sample')}, subset: { train: 256, test: 128 } }
model:
  network: { type: mlp, hiddenUnits: [16], dropout: 0.2 }
  activation: { type: ar }
train: { epochs: 3, batchSize: 32, optimizer: { type: momentum, lr: 0.05 } }
output: { dir: ${runs} }
`,
);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The run directory a CLI run printed (plain mode: "run directory: ..."). */
function runDirOf(stdout: string): string {
  return /run directory: (\S+)/.exec(stdout)![1];
}

/** metrics.csv without the seconds column, which is the only one allowed to differ between identical runs. */
function metricsSansSeconds(dir: string): string {
  return fs
    .readFileSync(path.join(dir, 'metrics.csv'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/,[^,]*$/, ''))
    .join('\n');
}

function runJson(dir: string) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
}

let reference: string;

test('a run writes every run-directory file; the same seed gives an identical metrics.csv, another seed a different one', () => {
  const first = acaf(['run', config]);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout.split('\n')[0]).toBe('backend: cpu (requested by the config)');
  reference = runDirOf(first.stdout);
  for (const file of ['config.yaml', 'env.json', 'run.json', 'metrics.csv', 'activations.csv', 'confusion.csv'])
    expect(fs.existsSync(path.join(reference, file))).toBe(true);
  for (const file of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin', 'state.json'])
    expect(fs.existsSync(path.join(reference, 'checkpoints/last', file))).toBe(true);
  expect(runJson(reference)).toMatchObject({ status: 'complete', epochsCompleted: 3 });
  expect(metricsSansSeconds(reference).split('\n')).toHaveLength(4);
  expect(fs.readFileSync(path.join(reference, 'activations.csv'), 'utf8')).toMatch(/^epoch,site,type,share,a,a_min,a_max,b,/);

  const again = acaf(['run', config, '--quiet']);
  expect(again.code).toBe(0);
  expect(again.stdout).toBe('');
  const second = fs
    .readdirSync(path.join(runs, 'tiny'))
    .map((name) => path.join(runs, 'tiny', name))
    .find((dir) => dir !== reference)!;
  expect(metricsSansSeconds(second)).toBe(metricsSansSeconds(reference));

  const other = acaf(['run', config, '--set', 'seed=4', '--json']);
  expect(other.code).toBe(0);
  const events = other.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(events.map((event) => event.event)).toEqual(['start', 'epoch', 'epoch', 'epoch', 'finish']);
  expect(metricsSansSeconds(events[0].runDir)).not.toBe(metricsSansSeconds(reference));
});

test('SIGINT during epoch 2, then --resume, ends with the same metrics.csv as the uninterrupted run', async () => {
  const { code, stdout, stderr } = await acafInterrupted(['run', config], /epoch 1\/3/);
  expect(code).not.toBe(0);
  const dir = runDirOf(stdout);
  expect(stderr).toMatch(
    new RegExp(
      `interrupted during epoch \\d; the last checkpoint \\(epoch \\d(, then step \\d+ of epoch \\d)?\\).*resume with: acaf run --resume ${dir}`,
    ),
  );
  expect(runJson(dir).status).toBe('interrupted');
  expect(runJson(dir).epochsCompleted).toBeLessThan(3);

  const resumed = acaf(['run', '--resume', dir]);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(runJson(dir)).toMatchObject({ status: 'complete', epochsCompleted: 3 });
  expect(metricsSansSeconds(dir)).toBe(metricsSansSeconds(reference));
  expect(fs.readFileSync(path.join(dir, 'activations.csv'), 'utf8')).toBe(fs.readFileSync(path.join(reference, 'activations.csv'), 'utf8'));
});

test('SIGTERM mid-epoch saves the step reached; --resume continues from it to the same metrics.csv', async () => {
  // The signal lands a step or more into epoch 2 (the trainer yields to signals between steps), never at its start.
  const { code, stdout, stderr } = await acafInterrupted(['run', config], /epoch 1\/3/, 'SIGTERM');
  expect(code).not.toBe(0);
  const dir = runDirOf(stdout);
  expect(stderr).toMatch(
    new RegExp(
      `^acaf: SIGTERM received.*\nacaf: interrupted during epoch 2; the last checkpoint \\(epoch 1, then step [1-7] of epoch 2\\) is in ${dir}/checkpoints/last; resume with: acaf run --resume ${dir}\n$`,
    ),
  );
  const state = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoints/last/state.json'), 'utf8'));
  expect(state).toMatchObject({ epoch: 1, step: expect.any(Number), partial: { seen: 32 * state.step } });

  const resumed = acaf(['run', '--resume', dir]);
  expect(resumed.code).toBe(0);
  expect(metricsSansSeconds(dir)).toBe(metricsSansSeconds(reference));
  for (const file of ['weights.bin', 'optimizer.bin'])
    expect(
      fs.readFileSync(path.join(dir, 'checkpoints/last', file)).equals(fs.readFileSync(path.join(reference, 'checkpoints/last', file))),
    ).toBe(true);
});

test('a diverging learning rate stops with a NaN message and a non-zero exit, keeping the last good checkpoint', () => {
  const result = acaf(['run', config, '--set', 'train.optimizer.lr=1e30', '--set', 'name=diverge']);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(
    /^acaf: loss became (NaN|Infinity|-Infinity) at epoch 1, step \d+ \(lr 1\.00e\+30\); the last checkpoint \(epoch 0\) is in .*checkpoints\/last\n$/,
  );
  const dir = runDirOf(result.stdout);
  expect(runJson(dir).status).toBe('failed');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'checkpoints/last/state.json'), 'utf8')).epoch).toBe(0);
});

test('config errors and unknown plugins fail before any run directory is created', () => {
  const before = fs.readdirSync(path.join(runs, 'tiny')).length;
  const result = acaf(['run', config, '--set', 'train.optimizer.type=adamw']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/unknown optimizer 'adamw'/);
  const missing = acaf(['run', config, '--set', 'data.dir=/nonexistent']);
  expect(missing.code).not.toBe(0);
  expect(missing.stderr.split('\n')[0]).toMatch(/^acaf: /);
  expect(fs.readdirSync(path.join(runs, 'tiny')).length).toBe(before);
});
