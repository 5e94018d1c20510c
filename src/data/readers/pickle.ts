import { AcafError } from '../../errors';
import { reconstructors } from './pickle-globals';

/**
 * A small unpickler for data files (protocols 0-5 binary opcodes): dicts, lists, tuples, numbers, strings, bytes
 * and the few Python globals data files use (numpy arrays, OrderedDict, `_codecs.encode`; see pickle-globals.ts).
 * It never runs code: any other global is an error naming it.
 *
 * Python values map to: dict -> Map (bytes keys become latin1 strings, as `encoding='latin1'` would), list and
 * tuple -> Array, str -> string, bytes (and Python 2 str) -> Uint8Array, int/float -> number, None -> null.
 */
export function unpickle(bytes: Uint8Array, file: string): unknown {
  return new Unpickler(bytes, file).load();
}

/** A Python global (`module.name`) seen by GLOBAL or STACK_GLOBAL; called by REDUCE/NEWOBJ. */
export interface PyGlobal {
  module: string;
  name: string;
}

/** An object built from a global that takes state through BUILD (`__setstate__`). */
export interface Buildable {
  setState(state: unknown, file: string): void;
}

const MARK = Symbol('mark');

class Unpickler {
  private position = 0;
  private readonly stack: unknown[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  load(): unknown {
    for (;;) {
      const opcode = this.byte();
      const op = String.fromCharCode(opcode);
      switch (op) {
        case '\x80': this.byte(); break; // PROTO
        case '\x95': this.take(8); break; // FRAME: frames are only a buffering hint
        case '.': return this.pop(); // STOP
        case '(': this.stack.push(MARK); break;
        case 'N': this.stack.push(null); break;
        case '\x88': this.stack.push(true); break;
        case '\x89': this.stack.push(false); break;
        case 'J': this.stack.push(this.view.getInt32(this.advance(4), true)); break; // BININT
        case 'K': this.stack.push(this.byte()); break; // BININT1
        case 'M': this.stack.push(this.view.getUint16(this.advance(2), true)); break; // BININT2
        case '\x8a': this.stack.push(this.long(this.byte())); break; // LONG1
        case '\x8b': this.stack.push(this.long(this.view.getInt32(this.advance(4), true))); break; // LONG4
        case 'G': this.stack.push(this.view.getFloat64(this.advance(8), false)); break; // BINFLOAT
        case 'I': this.stack.push(this.textInt()); break; // INT (protocol 0, also True/False as 01/00)
        case 'X': this.stack.push(this.utf8(this.u32())); break; // BINUNICODE
        case '\x8c': this.stack.push(this.utf8(this.byte())); break; // SHORT_BINUNICODE
        case '\x8d': this.stack.push(this.utf8(this.u64())); break; // BINUNICODE8
        case 'T': this.stack.push(this.take(this.u32())); break; // BINSTRING (Python 2 str)
        case 'U': this.stack.push(this.take(this.byte())); break; // SHORT_BINSTRING
        case 'B': this.stack.push(this.take(this.u32())); break; // BINBYTES
        case 'C': this.stack.push(this.take(this.byte())); break; // SHORT_BINBYTES
        case '\x8e': this.stack.push(this.take(this.u64())); break; // BINBYTES8
        case '\x96': this.stack.push(this.take(this.u64())); break; // BYTEARRAY8
        case ')': this.stack.push([]); break; // EMPTY_TUPLE
        case ']': this.stack.push([]); break; // EMPTY_LIST
        case '}': this.stack.push(new Map()); break; // EMPTY_DICT
        case '\x8f': this.stack.push(new Set()); break; // EMPTY_SET
        case '\x85': this.stack.push([this.pop()]); break; // TUPLE1
        case '\x86': { const b = this.pop(); this.stack.push([this.pop(), b]); break; } // TUPLE2
        case '\x87': { const c = this.pop(); const b = this.pop(); this.stack.push([this.pop(), b, c]); break; } // TUPLE3
        case 't': this.stack.push(this.popToMark()); break; // TUPLE
        case 'l': this.stack.push(this.popToMark()); break; // LIST
        case 'd': this.stack.push(this.dictFrom(this.popToMark())); break; // DICT
        case 'a': { const item = this.pop(); this.list(this.top()).push(item); break; } // APPEND
        case 'e': { const items = this.popToMark(); this.list(this.top()).push(...items); break; } // APPENDS
        case 's': { const value = this.pop(); const key = this.pop(); this.setItem(this.top(), key, value); break; } // SETITEM
        case 'u': { const items = this.popToMark(); for (let i = 0; i < items.length; i += 2) this.setItem(this.top(), items[i], items[i + 1]); break; } // SETITEMS
        case '\x90': { const items = this.popToMark(); const set = this.top() as Set<unknown>; items.forEach((item) => set.add(item)); break; } // ADDITEMS
        case 'c': this.stack.push(this.global(this.line(), this.line())); break; // GLOBAL
        case '\x93': { const name = this.pop() as string; this.stack.push(this.global(this.pop() as string, name)); break; } // STACK_GLOBAL
        case 'R': { const args = this.pop() as unknown[]; this.stack.push(this.call(this.pop(), args)); break; } // REDUCE
        case '\x81': { const args = this.pop() as unknown[]; this.stack.push(this.call(this.pop(), args)); break; } // NEWOBJ
        case 'b': { const state = this.pop(); this.build(this.top(), state); break; } // BUILD
        case 'q': this.memo.set(this.byte(), this.top()); break; // BINPUT
        case 'r': this.memo.set(this.u32(), this.top()); break; // LONG_BINPUT
        case '\x94': this.memo.set(this.memo.size, this.top()); break; // MEMOIZE
        case 'h': this.stack.push(this.recall(this.byte())); break; // BINGET
        case 'j': this.stack.push(this.recall(this.u32())); break; // LONG_BINGET
        case '0': this.pop(); break; // POP
        case '2': this.stack.push(this.top()); break; // DUP
        default:
          throw this.error(`unsupported pickle opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${this.position - 1}`);
      }
    }
  }

  private error(message: string): AcafError {
    return new AcafError(`${this.file}: ${message}`);
  }

  private advance(count: number): number {
    const at = this.position;
    if (at + count > this.bytes.length) throw this.error(`truncated pickle: needs ${at + count} bytes, file has ${this.bytes.length}`);
    this.position += count;
    return at;
  }

  private byte(): number {
    return this.bytes[this.advance(1)];
  }

  private u32(): number {
    return this.view.getUint32(this.advance(4), true);
  }

  private u64(): number {
    const at = this.advance(8);
    return this.view.getUint32(at, true) + this.view.getUint32(at + 4, true) * 2 ** 32;
  }

  private take(count: number): Uint8Array {
    const at = this.advance(count);
    return this.bytes.subarray(at, at + count);
  }

  private utf8(count: number): string {
    return Buffer.from(this.take(count)).toString('utf8');
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0) throw this.error('truncated pickle: unterminated text line');
    const text = Buffer.from(this.bytes.subarray(this.position, end)).toString('latin1');
    this.position = end + 1;
    return text;
  }

  private textInt(): number | boolean {
    const text = this.line();
    if (text === '01' || text === '00') return text === '01';
    return Number.parseInt(text, 10);
  }

  /** Little-endian two's-complement integer of `count` bytes, as a double (exact up to 2^53). */
  private long(count: number): number {
    const digits = this.take(count);
    let value = 0;
    for (let i = digits.length - 1; i >= 0; i--) value = value * 256 + digits[i];
    if (count > 0 && digits[count - 1] & 0x80) value -= 2 ** (8 * count);
    return value;
  }

  private pop(): unknown {
    if (this.stack.length === 0) throw this.error('corrupt pickle: stack underflow');
    return this.stack.pop();
  }

  private top(): unknown {
    if (this.stack.length === 0) throw this.error('corrupt pickle: stack underflow');
    return this.stack[this.stack.length - 1];
  }

  private popToMark(): unknown[] {
    const mark = this.stack.lastIndexOf(MARK);
    if (mark < 0) throw this.error('corrupt pickle: no MARK on the stack');
    const items = this.stack.splice(mark);
    return items.slice(1);
  }

  private recall(index: number): unknown {
    if (!this.memo.has(index)) throw this.error(`corrupt pickle: memo entry ${index} used before it is set`);
    return this.memo.get(index);
  }

  private list(value: unknown): unknown[] {
    if (!Array.isArray(value)) throw this.error('corrupt pickle: APPEND to something that is not a list');
    return value;
  }

  private dictFrom(items: unknown[]): Map<unknown, unknown> {
    const dict = new Map<unknown, unknown>();
    for (let i = 0; i < items.length; i += 2) this.setItem(dict, items[i], items[i + 1]);
    return dict;
  }

  private setItem(target: unknown, key: unknown, value: unknown): void {
    if (!(target instanceof Map)) throw this.error('corrupt pickle: SETITEM on something that is not a dict');
    target.set(key instanceof Uint8Array ? Buffer.from(key).toString('latin1') : key, value);
  }

  private global(module: string, name: string): PyGlobal {
    const global = { module, name };
    if (!reconstructors[`${module}.${name}`]) throw this.error(`pickle refers to the unsupported Python object ${module}.${name}`);
    return global;
  }

  private call(callable: unknown, args: unknown[]): unknown {
    const global = callable as PyGlobal;
    return reconstructors[`${global.module}.${global.name}`](args, this.file);
  }

  private build(target: unknown, state: unknown): void {
    if (target instanceof Map && state instanceof Map) {
      state.forEach((value, key) => target.set(key, value));
      return;
    }
    const buildable = target as Partial<Buildable> | null;
    if (!buildable || typeof buildable.setState !== 'function') throw this.error('corrupt pickle: BUILD on an object without state');
    buildable.setState(state, this.file);
  }
}
