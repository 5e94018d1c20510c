import * as fs from 'fs';
import * as path from 'path';
import { resolveExperiments } from '../src/config';
import '../src/plugins';

const configsDir = path.join(__dirname, '..', 'configs');

/** Every YAML file under configs/, as a path relative to it. */
function configFiles(dir = configsDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return configFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [path.relative(configsDir, full)] : [];
  });
}

// configs/base/ holds fragments that only make sense once extended.
const complete = configFiles().filter((file) => !file.startsWith(`base${path.sep}`));

test('the quickstart and the paper configs exist', () => {
  expect(complete).toEqual(expect.arrayContaining(['quickstart.yaml', 'resnet50-alpha-relu.yaml']));
  expect(complete.filter((file) => file.startsWith(`paper${path.sep}`)).length).toBeGreaterThan(0);
});

test.each(complete)('%s validates', (file) => {
  expect(resolveExperiments(path.join(configsDir, file)).length).toBeGreaterThan(0);
});

test.each(complete.filter((file) => file.startsWith(`paper${path.sep}`)))('%s names the table and row it reproduces', (file) => {
  for (const run of resolveExperiments(path.join(configsDir, file))) expect(run.reproduces).toMatch(/\S/);
});

test.each(complete.filter((file) => file.startsWith(`paper${path.sep}`) && !file.includes('detection')))(
  '%s has a scaled-down counterpart in configs/small/',
  (file) => {
    expect(fs.existsSync(path.join(configsDir, 'small', path.basename(file)))).toBe(true);
  },
);
