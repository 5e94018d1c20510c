import { CHANNEL_KERNELS_WAT } from './channel-kernels-wat';
import { MATRIX_BLOCKS_WAT } from './matrix-blocks-wat';
import { MAX_POOL_GRAD_WAT } from './max-pool-grad-wat';
import { TRANSPOSE_WAT } from './transpose-wat';

/**
 * The WebAssembly text of the SIMD kernels, assembled from the templates of ./*-wat.ts. The build
 * (scripts/compile-wat.js) compiles it into dist/simd/, once for each kind of memory the kernels import.
 */

/** Each template's functions, with the file that generates them (for build errors). */
export const WAT_TEMPLATES: { file: string; text: string }[] = [
  { file: 'src/simd/transpose-wat.ts', text: TRANSPOSE_WAT },
  { file: 'src/simd/matrix-blocks-wat.ts', text: MATRIX_BLOCKS_WAT },
  { file: 'src/simd/channel-kernels-wat.ts', text: CHANNEL_KERNELS_WAT },
  { file: 'src/simd/max-pool-grad-wat.ts', text: MAX_POOL_GRAD_WAT },
];

/**
 * tfjs-backend-wasm's threaded build has a shared memory, its single-threaded build a plain one; a module must
 * import the memory as declared, so each gets its own binary.
 */
export const MEMORY_KINDS = { shared: '(memory 1 65536 shared)', plain: '(memory 1)' } as const;
export type MemoryKind = keyof typeof MEMORY_KINDS;

/** The module's first line imports the memory; each template follows on lines of its own. */
export function simdModuleText(memory: MemoryKind): string {
  return [`(module (import "env" "memory" ${MEMORY_KINDS[memory]})`, ...WAT_TEMPLATES.map(({ text }) => text), ')'].join('\n');
}

/** The template (and line within its text, from 1) that holds line `line` (from 1) of simdModuleText. */
export function templateAtLine(line: number): { file: string; line: number } | undefined {
  let first = 2;
  if (line < first) return undefined;
  for (const { file, text } of WAT_TEMPLATES) {
    const lines = text.split('\n').length;
    if (line < first + lines) return { file, line: line - first + 1 };
    first += lines;
  }
  return undefined;
}

/** The compiled module's file name in dist/simd/. */
export const compiledFileName = (memory: MemoryKind) => `simd-kernels-${memory}-memory.wasm`;
