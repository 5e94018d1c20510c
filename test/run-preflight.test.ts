import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acaf } from './helpers/cli';
import { removeTempDirs, tempDir, writeIdxDataset } from './helpers/data-fixtures';

/** Exits that used to lie (issue 15, items 9 and 10): each is one line, before training, or a warning. */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-preflight-'));
fs.chmodSync(work, 0o755); // readable by the unprivileged user the read-only case runs as
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  removeTempDirs();
});

function writeConfig(name: string, body: string): string {
  const file = path.join(work, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `name: ${name}\nbackend: cpu\nmodel: { network: { type: mlp, hiddenUnits: [4] }, activation: { type: relu } }\n${body}`,
  );
  return file;
}
const synthetic = 'data: { type: synthetic, shape: [4, 4, 1], classCount: 2, train: 10, test: 4 }';

test('an empty training split is an error before any run directory exists', () => {
  const pixels = new Uint8Array(4 * 16);
  const dir = writeIdxDataset(
    path.join(tempDir(), 'empty-train'),
    {
      train: { images: new Uint8Array(0), labels: new Uint8Array(0), height: 4, width: 4 },
      t10k: { images: pixels, labels: Uint8Array.from([0, 1, 2, 3]), height: 4, width: 4 },
    },
    false,
  );
  const runs = path.join(work, 'empty-runs');
  const config = writeConfig(
    'empty',
    `data: { type: fashion-mnist, dir: ${dir} }\ntrain: { epochs: 1, batchSize: 4, optimizer: { type: sgd } }\noutput: { dir: ${runs} }\n`,
  );
  const result = acaf(['run', config]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toBe(`acaf: data: the fashion-mnist training split in ${dir} has no images; nothing to train on\n`);
  // The run's claim may have made its folder; no run directory (one with run.json) exists.
  expect(fs.existsSync(runs) ? fs.readdirSync(runs, { recursive: true }).filter((file) => String(file).endsWith('run.json')) : []).toEqual(
    [],
  );
});

test('a read-only output folder is named in one line, with why', () => {
  const readOnly = path.join(work, 'read-only');
  fs.mkdirSync(readOnly, { mode: 0o555 });
  fs.chmodSync(readOnly, 0o555);
  const config = writeConfig(
    'readonly',
    `${synthetic}\ntrain: { epochs: 1, batchSize: 4, optimizer: { type: sgd } }\noutput: { dir: ${path.join(readOnly, 'runs')} }\n`,
  );
  // root writes through any mode bits: run as an unprivileged user there, as a user would be.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = acaf(['run', config], { spawn: asUser, env: { HOME: work } });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toBe(
    `acaf: cannot create run claim in ${path.join(readOnly, 'runs', 'readonly')}: ${readOnly} is not writable (EACCES)\n`,
  );
});

test('a batch larger than the training split warns with the steps per epoch; an edited config.yaml is not resumed', () => {
  const runs = path.join(work, 'runs');
  const config = writeConfig(
    'large-batch',
    `${synthetic}\ntrain: { epochs: 1, batchSize: 16, optimizer: { type: sgd, lr: 0.01 } }\noutput: { dir: ${runs} }\n`,
  );
  const result = acaf(['run', config]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('warning: train.batchSize 16 is more than the 10 training images; an epoch has 1 step\n');

  const dir = path.join(runs, 'large-batch', fs.readdirSync(path.join(runs, 'large-batch'))[0]);
  const recorded = path.join(dir, 'config.yaml');
  fs.writeFileSync(recorded, fs.readFileSync(recorded, 'utf8').replace('lr: 0.01', 'lr: 0.02'));
  const resumed = acaf(['run', '--resume', dir]);
  expect(resumed.code).not.toBe(0);
  expect(resumed.stderr).toMatch(
    new RegExp(
      `^acaf: ${recorded}: changed since the run started \\(run\\.json records sha256 [0-9a-f]{12}\\.\\.\\.\\); not resuming a run its record no longer describes \\(start a new run instead\\)\\n$`,
    ),
  );
});
