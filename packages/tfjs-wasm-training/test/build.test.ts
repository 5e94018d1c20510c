import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The build compiles the SIMD kernels' WebAssembly text (scripts/compile-wat.js, the last step of `npm run build`):
 * a broken template fails it with one line naming the template. Run on a copy of the built dist/ with one template
 * broken, as an edit of its source would build it.
 */
const packageRoot = path.resolve(__dirname, '..');
const compileWat = path.join(packageRoot, 'scripts', 'compile-wat.js');

function compileCopy(breakTemplate?: (text: string) => string): { status: number | null; stderr: string; wasm: string[] } {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-wat-'));
  try {
    fs.cpSync(path.join(packageRoot, 'dist'), copy, { recursive: true, filter: (source) => !source.endsWith('.wasm') });
    const template = path.join(copy, 'simd', 'matrix-blocks-wat.js');
    if (breakTemplate) fs.writeFileSync(template, breakTemplate(fs.readFileSync(template, 'utf8')));
    const child = spawnSync(process.execPath, [compileWat, '--dist', copy], { encoding: 'utf8', timeout: 60_000 });
    const wasm = fs.readdirSync(path.join(copy, 'simd')).filter((file) => file.endsWith('.wasm'));
    return { status: child.status, stderr: child.stderr, wasm };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

test('the templates as they are compile into one binary per kind of memory', () => {
  expect(compileCopy()).toEqual({ status: 0, stderr: '', wasm: ['simd-kernels-plain-memory.wasm', 'simd-kernels-shared-memory.wasm'] });
});

test('a misspelt instruction fails the build with one line naming the template', () => {
  const { status, stderr, wasm } = compileCopy((text) => text.replace('i32.add', 'i32.addd'));
  expect(status).toBe(1);
  expect(stderr).toMatch(
    /^compile-wat: .* src\/simd\/matrix-blocks-wat\.ts: line \d+ of its WebAssembly text, column \d+: error: unexpected token "i32\.addd"[^\n]*\n$/,
  );
  expect(wasm).toEqual([]);
});

test('a type error fails the build too', () => {
  const { status, stderr } = compileCopy((text) => text.replace('(i32.add (local.get', '(f32.add (local.get'));
  expect(status).toBe(1);
  expect(stderr).toContain('src/simd/matrix-blocks-wat.ts: line');
  expect(stderr).toContain('error: type mismatch in f32.add');
});

test('--print prints the WebAssembly text with the memory import of the kind asked for', () => {
  const shared = spawnSync(process.execPath, [compileWat, '--print', 'shared'], { encoding: 'utf8' });
  expect(shared.stdout.split('\n')[0]).toBe('(module (import "env" "memory" (memory 1 65536 shared))');
  expect(shared.stdout).toContain('(func $transpose');
});
