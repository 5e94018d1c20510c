/**
 * No import cycles in src/ (type-only imports included: they tie modules together for a reader just the same).
 * The same check as `npx madge --circular --extensions ts src`, without the dependency: relative imports are
 * resolved to files and searched depth first.
 */
import * as fs from 'fs';
import * as path from 'path';

const src = path.join(__dirname, '..', 'src');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The src files a file imports (import, export ... from, import type; relative specifiers only). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']*)'/gms),
    ...text.matchAll(/^\s*import\s+'(\.[^']*)'/gm),
  ].map((m) => m[1]);
  return specifiers.flatMap((specifier) => {
    const base = path.resolve(path.dirname(file), specifier);
    const found = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
    return found ? [found] : [];
  });
}

it('src/ has no import cycles', () => {
  const graph = new Map(tsFiles(src).map((file) => [file, importsOf(file)]));
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, stack: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(file)), file].map((f) => path.relative(src, f)).join(' -> '));
      return;
    }
    state.set(file, 'visiting');
    for (const imported of graph.get(file) ?? []) visit(imported, [...stack, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(graph.size).toBeGreaterThan(100);
  expect(cycles).toEqual([]);
});
