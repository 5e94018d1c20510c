/**
 * What a throughput number depends on besides the code: the machine's load, the CPU's vector width, the Node
 * version and its WebAssembly features. `acaf bench` prints these with its tables and writes them in every CSV row.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

/** Node's global WebAssembly, as much as is used here (tsconfig's libs, without DOM, do not declare it). */
declare const WebAssembly: { validate(bytes: Uint8Array): boolean };

export interface MachineContext {
  cpu: string;
  /** The widest vectors the CPU has (avx512f: 512, avx2: 256), else 128 (WebAssembly SIMD's width). */
  vectorWidthBits: number;
  /** Whether this Node's WebAssembly accepts relaxed-SIMD instructions (fused multiply-add). */
  relaxedSimd: boolean;
  node: string;
}

/** The flags of the first processor in a /proc/cpuinfo text (every core lists the same), or none. */
export function cpuinfoFlags(cpuinfo: string): string[] {
  const line = cpuinfo.split('\n').find((text) => /^flags\s*:/.test(text));
  return line
    ? line
        .slice(line.indexOf(':') + 1)
        .trim()
        .split(/\s+/)
    : [];
}

/** The model name of the first processor in a /proc/cpuinfo text, if it has one. */
export function cpuinfoModel(cpuinfo: string): string | undefined {
  const line = cpuinfo.split('\n').find((text) => /^model name\s*:/.test(text));
  return line?.slice(line.indexOf(':') + 1).trim();
}

export function vectorWidthBits(flags: readonly string[]): 512 | 256 | 128 {
  if (flags.includes('avx512f')) return 512;
  if (flags.includes('avx2')) return 256;
  return 128;
}

/**
 * A module of one function, (v128, v128, v128) -> v128, whose body reads the three parameters and ends with
 * `instruction` (opcode bytes), which must leave one v128 of the three.
 */
export function simdProbeModule(instruction: number[]): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = [0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b]; // one type: (v128 x3) -> v128
  const functions = [0x03, 0x02, 0x01, 0x00]; // one function of type 0
  const body = [0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, ...instruction, 0x0b]; // no locals; local.get 0, 1, 2; end
  const code = [0x0a, body.length + 2, 0x01, body.length, ...body];
  return Uint8Array.from([...header, ...types, ...functions, ...code]);
}

/** f32x4.relaxed_madd (0xfd 0x105): a * b + c in one instruction where the CPU has FMA. */
export const RELAXED_MADD = [0xfd, 0x85, 0x02];

/** Node 20 accepts relaxed SIMD only behind --experimental-wasm-relaxed-simd; later versions by default. */
export function relaxedSimdAvailable(): boolean {
  return WebAssembly.validate(simdProbeModule(RELAXED_MADD));
}

function readCpuinfo(): string {
  try {
    return fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return ''; // not Linux: no flags, so the vector width reads as WebAssembly SIMD's 128
  }
}

export function machineContext(): MachineContext {
  const cpuinfo = readCpuinfo();
  return {
    cpu: cpuinfoModel(cpuinfo) ?? os.cpus()[0]?.model ?? os.arch(),
    vectorWidthBits: vectorWidthBits(cpuinfoFlags(cpuinfo)),
    relaxedSimd: relaxedSimdAvailable(),
    node: process.version,
  };
}

/** The 1-minute load average (0 where the OS has none, e.g. Windows). */
export function loadAverage(): number {
  return os.loadavg()[0];
}
