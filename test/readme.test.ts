import * as fs from 'fs';
import * as path from 'path';
import { registries } from '../src/registry';
import '../src/plugins';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

test.each(Object.entries(registries))('README lists every registered %s plugin', (_kind, registry) => {
  for (const name of registry.names()) expect(readme).toContain(`\`${name}\``);
});

test('README gives the two set-up commands and the test command that CI runs', () => {
  expect(readme).toContain('npm install');
  expect(readme).toContain('npx acaf run configs/quickstart.yaml');
  expect(readme).toContain('npm test');
  expect(fs.readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
});
