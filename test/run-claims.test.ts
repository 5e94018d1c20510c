import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { acaf, repoRoot } from './helpers/cli';
import { claimCell, readClaim } from '../src/run-directory/claim';
import { cellClaimFile, resolveSweep } from '../src/sweep/cells';
import '../src/plugins';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-claims-'));
const config = path.join(work, 'grid.yaml');
fs.writeFileSync(
  config,
  `name: grid
backend: cpu
data: { type: fashion-mnist, dir: ${JSON.stringify(path.join(repoRoot, 'data', 'fashion-mnist-sample'))}, subset: { train: 300, test: 100 } }
model: { network: { type: mlp, hiddenUnits: [32] }, activation: { type: relu } }
train: { epochs: 2, batchSize: 30, optimizer: { type: sgd, lr: 0.05 } }
matrix:
  model.activation.type: [relu, ar]
  seed: [1, 2]
`,
);

/** Each run's metrics.csv under `root`, by run name, without the wall-clock column. */
function metricsByRun(root: string): Record<string, Record<string, string>[]> {
  return Object.fromEntries(
    fs.readdirSync(root).map((name) => {
      const [stamp] = fs.readdirSync(path.join(root, name)).filter((entry) => /^\d{8}-\d{6}/.test(entry));
      const rows = parse(fs.readFileSync(path.join(root, name, stamp, 'metrics.csv'), 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      return [name, rows.map(({ seconds: _seconds, ...rest }) => rest)];
    }),
  );
}

test('--jobs 2 runs a 4-run matrix to the same metrics per run as running it one run at a time', () => {
  const sequential = acaf(['run', config, '--quiet', '--output', path.join(work, 'sequential')], { cwd: work });
  expect(sequential.code).toBe(0);
  const parallel = acaf(['run', config, '--jobs', '2', '--output', path.join(work, 'parallel')], { cwd: work });
  expect(parallel.stderr).toBe('');
  expect(parallel.code).toBe(0);
  // one combined view: every run's epochs, each line tagged with its run
  expect(parallel.stdout.match(/^\[grid-activation_\w+-seed_\d\] epoch 2\/2 /gm)).toHaveLength(4);
  const expected = metricsByRun(path.join(work, 'sequential'));
  expect(Object.keys(expected)).toHaveLength(4);
  expect(metricsByRun(path.join(work, 'parallel'))).toEqual(expected);
});

test('two acaf run --index 0 started together: one runs, the other names the holder and exits non-zero', async () => {
  const start = () =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [path.join(repoRoot, 'bin', 'run.js'), 'run', config, '--index', '0', '--set', 'train.epochs=10'],
        {
          cwd: work,
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const results = await Promise.all([start(), start()]);
  const ran = results.filter((result) => result.code === 0);
  const refused = results.filter((result) => result.code !== 0);
  expect(ran).toHaveLength(1);
  expect(refused).toHaveLength(1);
  expect(ran[0].stdout).toMatch(/final test accuracy/);
  expect(refused[0].stderr).toMatch(
    new RegExp(`^acaf: grid-activation_relu-seed_1 is being run by pid \\d+ on ${os.hostname()} since .*; not started`),
  );
  expect(refused[0].stderr.trim().split('\n')).toHaveLength(1);
  // the claim is released once the run ends
  expect(fs.readdirSync(path.join(work, 'runs', 'grid-activation_relu-seed_1')).filter((f) => f.startsWith('claim-'))).toEqual([]);
});

test('a claim whose process is gone is taken over with a message; a live one is not', () => {
  const file = path.join(work, 'cell', 'claim-test.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // a pid that cannot exist (above the kernel's pid_max)
  fs.writeFileSync(file, JSON.stringify({ host: os.hostname(), pid: 2 ** 23, startedAt: '2026-01-01T00:00:00Z', token: 'gone' }));
  const said: string[] = [];
  const claim = claimCell(file, (line) => said.push(line));
  expect('holder' in claim).toBe(true);
  expect(said).toEqual([expect.stringMatching(/^taking over the stale claim of pid 8388608 on .* \(that process is gone\)/)]);
  expect(readClaim(file)?.pid).toBe(process.pid);

  const second = claimCell(file, (line) => said.push(line));
  expect(second).toEqual({ heldBy: readClaim(file) });
  if ('release' in claim) claim.release();
  expect(fs.existsSync(file)).toBe(false);
});

test('a cell claimed by a live process shows as running in config --list and status, and --index refuses it', () => {
  // this test process holds cell 1 the way acaf run would
  const output = `output.dir=${JSON.stringify(path.join(work, 'runs'))}`;
  const { cells } = resolveSweep(config, [output]);
  const claim = claimCell(cellClaimFile(cells[1].config), () => undefined);
  if (!('release' in claim)) throw new Error('cell 1 was already claimed');
  try {
    const listed = acaf(['config', config, '--list', '--set', output], { cwd: work });
    expect(listed.stdout).toMatch(/^\s+1 {2}grid-activation_relu-seed_2 {2}running$/m);
    const status = JSON.parse(acaf(['status', config, '--json', '--set', output], { cwd: work }).stdout) as {
      runs: { state: string; holder: string }[];
    };
    expect(status.runs[1]).toMatchObject({ state: 'running', holder: `pid ${process.pid} on ${os.hostname()}` });
    const refused = acaf(['run', config, '--index', '1', '--set', output], { cwd: work });
    expect(refused.code).toBe(75);
    expect(refused.stderr).toMatch(new RegExp(`^acaf: grid-activation_relu-seed_2 is being run by pid ${process.pid} on `));
  } finally {
    claim.release();
  }
});
