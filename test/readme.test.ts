import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { pluginTableMarkdown, pluginTableMarkers } from '../src/config/plugin-table';
import { registries } from '../src/registry';
import '../src/plugins';
import { acaf, repoRoot } from './helpers/cli';
import { writeCifar10Binary } from './helpers/data-fixtures';
import { readmeCommands } from './helpers/readme-commands';
import { slurmMissing, SlurmCluster, startSlurm } from './helpers/slurm';

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

test("README's plugin table is the one generated from the registries (npm run docs rewrites it)", () => {
  const start = readme.indexOf(pluginTableMarkers.start);
  const end = readme.indexOf(pluginTableMarkers.end);
  expect(start).toBeGreaterThan(0);
  expect(readme.slice(start + pluginTableMarkers.start.length, end).trim()).toBe(pluginTableMarkdown());
});

test('the generated table names every registered plugin of every kind', () => {
  const table = pluginTableMarkdown();
  for (const registry of Object.values(registries)) for (const name of registry.names()) expect(table).toContain(`\`${name}\``);
});

test('README gives the two set-up commands and the test command that CI runs', () => {
  expect(readme).toContain('npm install');
  expect(readme).toContain('npx acaf run configs/quickstart.yaml');
  expect(readme).toContain('npm test');
  expect(fs.readFileSync(path.join(repoRoot, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
});

/*
 * Every `acaf` command line in the README's code blocks runs, in README order, in a scratch folder holding the
 * repository's configs/ and data/, with a tiny CIFAR-10 in ACAF_CACHE. `acaf run` lines get `--set` overrides
 * appended (readmeRunLimits) so that the paper's 150-epoch ResNet-50 matrices finish in seconds: one epoch of
 * 8 images at 1/16 width, and one run per matrix (the first value of each list; with `--only`, every value but
 * only the first seed), and so do `acaf submit` lines (their tasks run `acaf run` with them). The Slurm lines run on
 * a real one-node cluster; they are skipped where Slurm is not installed.
 */
const readmeRunLimits = [
  'train.epochs=1',
  'train.batchSize=4',
  'data.subset.train=8',
  'data.subset.test=2',
  'model.network.widthMultiplier=0.0625',
];

/** The `matrix:` a config file ends up with: its own, else the last one of the files it extends. */
function matrixOf(file: string): Record<string, unknown> | undefined {
  const config = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as { extends?: string | string[]; matrix?: Record<string, unknown> };
  if (config.matrix) return config.matrix;
  const parents = config.extends === undefined ? [] : [config.extends].flat();
  return parents.map((parent) => matrixOf(path.resolve(path.dirname(file), parent))).reduce((found, next) => next ?? found, undefined);
}

/** The `--set` arguments that bound an `acaf run` line's cost (see above). */
function runLimits(args: string[], cwd: string): string[] {
  const sets = [...readmeRunLimits];
  const config = args.slice(1).find((arg) => /\.ya?ml$/.test(arg));
  const matrix = config ? matrixOf(path.join(cwd, config)) : undefined;
  if (matrix) {
    const filtered = args.includes('--only');
    const small = Object.fromEntries(
      Object.entries(matrix).map(([key, values]) =>
        Array.isArray(values) && (key === 'seed' || !filtered) ? [key, values.slice(0, 1)] : [key, values],
      ),
    );
    sets.push(`matrix=${JSON.stringify(small)}`);
  }
  return sets.flatMap((set) => ['--set', set]);
}

const slurmCommands = new Set(['submit', 'status', 'cancel']);
const hasSlurm = slurmMissing() === undefined;

describe('every acaf command line in the README runs', () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-readme-'));
  const cache = path.join(workspace, 'cache');
  // the Slurm lines run against a real one-node cluster (test/helpers/slurm.ts)
  let cluster: SlurmCluster | undefined;
  beforeAll(async () => {
    for (const folder of ['configs', 'data']) fs.symlinkSync(path.join(repoRoot, folder), path.join(workspace, folder));
    writeCifar10Binary(cache);
    if (hasSlurm) cluster = await startSlurm();
  });
  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const commands = readmeCommands(readme);
  test('the README has command lines to run', () => expect(commands.length).toBeGreaterThanOrEqual(5));

  for (const { line, args } of commands) {
    const needsSlurm = slurmCommands.has(args[0]);
    const run = needsSlurm && !hasSlurm ? test.skip : test;
    run(needsSlurm && !hasSlurm ? `${line} (skipped: no Slurm here)` : line, () => {
      // `acaf submit` passes its --set overrides on to the `acaf run` of each Slurm task
      const limited = args[0] === 'run' || args[0] === 'submit' ? [...args, ...runLimits(args, workspace)] : args;
      const result = acaf(limited, { cwd: workspace, env: { ...cluster?.env, ACAF_CACHE: cache } });
      const said = `${line}\nexit ${result.code}\n${result.stderr}`;
      expect(said).toBe(`${line}\nexit 0\n${result.stderr}`);
    });
  }
});
