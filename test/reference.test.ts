import * as fs from 'fs';
import * as path from 'path';
import { configReferenceMarkdown } from '../src/config/reference';
import { registries } from '../src/registry';
import '../src/plugins';

test('docs/config-reference.md is the reference generated from the current schema', () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', 'docs', 'config-reference.md'), 'utf8');
  // Regenerate with: npx acaf schema --markdown > docs/config-reference.md
  expect(committed).toBe(configReferenceMarkdown());
});

test('the reference documents every plugin of every config slot', () => {
  const reference = configReferenceMarkdown();
  for (const kind of ['activations', 'networks', 'optimizers', 'schedules', 'datasets', 'metrics'] as const) {
    for (const name of registries[kind].names()) expect(reference).toContain(`### \`${name}\``);
  }
});
