import { spawnSync } from 'node:child_process';
import {
  cpuinfoFlags,
  cpuinfoModel,
  RELAXED_MADD,
  relaxedSimdAvailable,
  simdProbeModule,
  vectorWidthBits,
} from '../src/bench/machine-context';

/** Two processors of a /proc/cpuinfo, shortened. */
const cpuinfo = (flags: string) =>
  [
    'processor\t: 0',
    'vendor_id\t: GenuineIntel',
    'model name\t: Intel(R) Xeon(R) Platinum 8480C',
    `flags\t\t: ${flags}`,
    'bugs\t\t: spectre_v1',
    '',
  ]
    .join('\n')
    .repeat(2);

test('the vector width from the cpuinfo flags: avx512f 512, avx2 256, else 128 (WebAssembly SIMD)', () => {
  const xeon = cpuinfo('fpu sse sse2 avx avx2 fma avx512f avx512bw amx_tile');
  expect(cpuinfoFlags(xeon)).toEqual(['fpu', 'sse', 'sse2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'amx_tile']);
  expect(cpuinfoModel(xeon)).toBe('Intel(R) Xeon(R) Platinum 8480C');
  expect(vectorWidthBits(cpuinfoFlags(xeon))).toBe(512);
  // avx512bw without avx512f does not count, nor does a flag that merely starts with avx2.
  expect(vectorWidthBits(cpuinfoFlags(cpuinfo('sse4_2 avx avx2 avx512bw')))).toBe(256);
  expect(vectorWidthBits(cpuinfoFlags(cpuinfo('sse4_2 avx avx2_fake')))).toBe(128);
  expect(vectorWidthBits(cpuinfoFlags(''))).toBe(128);
  expect(cpuinfoModel('processor\t: 0\n')).toBeUndefined();
});

describe('the relaxed-SIMD probe', () => {
  // WebAssembly.validate is the oracle; the probe module must be valid apart from the instruction under test.
  const source = (instruction: number[]) =>
    `process.stdout.write(String(WebAssembly.validate(Uint8Array.from(${JSON.stringify([...simdProbeModule(instruction)])}))))`;
  const validates = (instruction: number[], nodeFlags: string[] = []) =>
    spawnSync(process.execPath, [...nodeFlags, '-e', source(instruction)], { encoding: 'utf8' }).stdout;

  test('is a valid module with a plain SIMD instruction, and an invalid one with an opcode that does not exist', () => {
    expect(validates([0xfd, 0xe4, 0x01, 0x1a])).toBe('true'); // f32x4.add, drop
    expect(validates([0xfd, 0xff, 0x0f])).toBe('false');
  });

  test('validates exactly where Node enables relaxed SIMD', () => {
    // V8 shipped relaxed SIMD in 11.4; Node 20 (V8 11.3) has it behind a flag.
    const [major, minor] = process.versions.v8.split('.').map(Number);
    if (major < 11 || (major === 11 && minor < 4)) expect(relaxedSimdAvailable()).toBe(false);
    const flagged = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', ''], { encoding: 'utf8' });
    if (flagged.status === 0) expect(validates(RELAXED_MADD, ['--experimental-wasm-relaxed-simd'])).toBe('true');
  });
});
