import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { acaf, repoRoot } from './helpers/cli';
import { slurmMissing, SlurmCluster, startSlurm } from './helpers/slurm';

// A real one-node Slurm cluster (Debian's slurm-wlm and munge): acaf submit, status, cancel and resume against it.
const missing = slurmMissing();
if (missing) console.warn(missing);
const describeWithSlurm = missing ? describe.skip : describe;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-slurm-test-'));
const sample = path.join(repoRoot, 'data', 'fashion-mnist-sample');

/** A tiny Fashion-MNIST experiment; `matrix` and `epochs` vary. */
function writeConfig(name: string, epochs: number, matrix: string): string {
  const file = path.join(work, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `name: ${name}
backend: cpu
data: { type: fashion-mnist, dir: ${JSON.stringify(sample)}, subset: { train: 300, test: 100 } }
model: { network: { type: mlp, hiddenUnits: [32] }, activation: { type: relu } }
train: { epochs: ${epochs}, batchSize: 30, optimizer: { type: sgd, lr: 0.05 } }
output: { dir: runs }
launcher: { cpusPerTask: 1 }
${matrix}`,
  );
  return file;
}

const grid = writeConfig('grid', 2, 'matrix:\n  model.activation.type: [relu, ar]\n  seed: [1, 2]\n');
const long = writeConfig('long', 8, '');

let cluster: SlurmCluster;
const inWork = (args: string[]) => acaf(args, { cwd: work, env: cluster.env });
const slurmCommand = (command: string, args: string[]) => spawnSync(command, args, { env: cluster.env, encoding: 'utf8' });

/** Waits until Slurm has no job left (queued or running). */
async function drained(timeoutMs = 60000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (slurmCommand('squeue', ['--noheader']).stdout.trim()) {
    if (Date.now() > until) throw new Error(`Slurm jobs still there: ${slurmCommand('squeue', []).stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** metrics.csv of a run directory without the wall-clock column. */
function metricsWithoutSeconds(dir: string): Record<string, string>[] {
  const rows = parse(fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  return rows.map(({ seconds: _seconds, ...rest }) => rest);
}

const runDirs = (root: string, name: string) =>
  fs.existsSync(path.join(root, name))
    ? fs
        .readdirSync(path.join(root, name))
        .filter((entry) => /^\d{8}-\d{6}/.test(entry))
        .map((entry) => path.join(root, name, entry))
    : [];

describeWithSlurm('acaf submit --slurm on a real one-node cluster', () => {
  beforeAll(async () => {
    cluster = await startSlurm();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('--dry-run prints a script that sbatch --test-only accepts, and submits nothing', () => {
    const { code, stdout, stderr } = inWork(['submit', grid, '--slurm', '--dry-run', '--parallel', '2', '--time', '10:00']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^#SBATCH --array=0-3%2$/m);
    expect(stdout).toMatch(/^#SBATCH --time=10:00$/m);
    const script = path.join(work, 'dry-run.sbatch');
    fs.writeFileSync(script, stdout);
    const check = slurmCommand('sbatch', ['--test-only', script]);
    expect(check.stderr).toMatch(/to start at/);
    expect(check.status).toBe(0);
    expect(slurmCommand('squeue', ['--noheader']).stdout.trim()).toBe('');
    expect(fs.existsSync(path.join(work, 'runs', 'grid', 'sweep.json'))).toBe(false);
  });

  test('a 4-run matrix completes; status says so, export has 4 rows; a second submit submits nothing', async () => {
    const submitted = inWork(['submit', grid, '--slurm']);
    expect(submitted.stderr).toBe('');
    expect(submitted.stdout).toMatch(/^submitted Slurm job \d+: 4 of 4 runs of grid/m);
    await drained();

    const status = inWork(['status', 'runs/grid', '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { runs: { name: string; state: string; log: string }[]; totals: Record<string, number> };
    expect(report.totals).toEqual({ complete: 4 });
    // one log per task, under the sweep's folder
    for (const run of report.runs) expect(fs.readFileSync(run.log, 'utf8')).toMatch(/final test accuracy/);
    expect(inWork(['status', grid]).stdout).toMatch(/^4 runs: 4 complete$/m);

    const exported = inWork(['export', 'runs']);
    expect(exported.code).toBe(0);
    expect(parse(exported.stdout, { columns: true })).toHaveLength(4);

    const again = inWork(['submit', grid, '--slurm']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^nothing to submit for grid: its 4 runs are 4 complete$/m);
    const manifest = JSON.parse(fs.readFileSync(path.join(work, 'runs', 'grid', 'sweep.json'), 'utf8'));
    expect(manifest.submissions).toHaveLength(1);
    expect(manifest.submissions[0].tasks.map((task: { name: string }) => task.name)).toEqual([
      'grid-activation_relu-seed_1',
      'grid-activation_relu-seed_2',
      'grid-activation_ar-seed_1',
      'grid-activation_ar-seed_2',
    ]);
  });

  test('a task stopped with scancel --signal=TERM is resumed by the next submit, to the metrics of an uninterrupted run', async () => {
    const reference = acaf(['run', long, '--quiet', '--output', path.join(work, 'reference')], { cwd: work });
    expect(reference.code).toBe(0);

    const submitted = inWork(['submit', long, '--slurm']);
    const jobId = /submitted Slurm job (\d+)/.exec(submitted.stdout)![1];
    // stop it once an epoch is checkpointed, well before the last
    const until = Date.now() + 60000;
    for (;;) {
      const [dir] = runDirs(path.join(work, 'runs'), 'long');
      const metrics = dir && fs.existsSync(path.join(dir, 'metrics.csv')) ? fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8') : '';
      if (metrics.trim().split('\n').length >= 2) break;
      if (Date.now() > until) throw new Error('the task never finished an epoch');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(slurmCommand('scancel', ['--signal=TERM', jobId]).status).toBe(0);
    await drained();
    const stopped = JSON.parse(inWork(['status', long, '--json']).stdout) as { runs: { state: string; epoch: number }[] };
    expect(stopped.runs[0].state).toBe('interrupted');
    expect(stopped.runs[0].epoch).toBeLessThan(8);

    const resumed = inWork(['submit', long, '--slurm']);
    expect(resumed.stdout).toMatch(/1 of 1 runs of long \(1 interrupted\)/);
    await drained();
    const dirs = runDirs(path.join(work, 'runs'), 'long');
    expect(dirs).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(dirs[0], 'run.json'), 'utf8')).status).toBe('complete');
    const [referenceDir] = runDirs(path.join(work, 'reference'), 'long');
    expect(metricsWithoutSeconds(dirs[0])).toEqual(metricsWithoutSeconds(referenceDir));
  });
});

test('without sbatch on PATH, acaf submit --slurm says so in one line and fails', () => {
  const emptyBin = fs.mkdtempSync(path.join(work, 'bin-'));
  const { code, stderr } = acaf(['submit', grid, '--slurm'], { cwd: work, env: { PATH: emptyBin } });
  expect(stderr).toMatch(/^acaf: sbatch not found: .*\n$/);
  expect(code).not.toBe(0);
});
