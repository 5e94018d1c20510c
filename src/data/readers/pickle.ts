import { AcafError } from '../../errors';

/**
 * A small unpickler for data files (protocols 0-5 binary opcodes): dicts, lists, tuples, numbers, strings, bytes
 * and the few Python globals data files use (numpy arrays, OrderedDict, `_codecs.encode`; see pickle-globals.ts).
 * It never runs code: any other global is an error naming it.
 *
 * Python values map to: dict -> Map (bytes keys become latin1 strings, as `encoding='latin1'` would), list and
 * tuple -> Array, str -> string, bytes (and Python 2 str) -> Uint8Array, int/float -> number, None -> null.
 *
 * The file is hostile until proven otherwise: every length read from it is checked against the bytes that
 * remain before anything is allocated, and every error is one line naming the file, the opcode and its offset.
 * The caller passes the globals the file may call (`globals`, by `module.name`); nothing else is callable.
 */
export function unpickle(bytes: Uint8Array, file: string, globals: PickleGlobals): unknown {
  return new Unpickler(bytes, file, globals).load();
}

/** Rebuilds a Python object from the arguments a REDUCE or NEWOBJ gives its global. */
export type Reconstructor = (args: unknown[], file: string) => unknown;

/** The callable globals by `module.name`, e.g. 'numpy.dtype'. */
export type PickleGlobals = ReadonlyMap<string, Reconstructor>;

/** A Python global (`module.name`) seen by GLOBAL or STACK_GLOBAL; called by REDUCE/NEWOBJ. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

/** An object built from a global that takes state through BUILD (`__setstate__`). */
export interface Buildable {
  setState(state: unknown, file: string): void;
}

/** MARK lives on the stack but is never a value: pop() and top() refuse it, as CPython's metastack does. */
const MARK = Symbol('mark');

/** Stops a pickle that is only STOP-less opcodes from growing the stack without bound before it ends. */
const MAX_STACK = 1 << 24;

type Opcode = { name: string; run: (u: Unpickler) => void };

const push = (name: string, value: (u: Unpickler) => unknown): Opcode => ({ name, run: (u) => u.push(value(u)) });

/** Opcode byte -> name and action. STOP is handled by load(), which returns the value. */
const OPCODES: Record<string, Opcode> = {
  '\x80': { name: 'PROTO', run: (u) => u.byte() },
  '\x95': { name: 'FRAME', run: (u) => u.take(8) }, // frames are only a buffering hint
  '(': push('MARK', () => MARK),
  N: push('NONE', () => null),
  '\x88': push('NEWTRUE', () => true),
  '\x89': push('NEWFALSE', () => false),
  J: push('BININT', (u) => u.int32()),
  K: push('BININT1', (u) => u.byte()),
  M: push('BININT2', (u) => u.uint16()),
  '\x8a': push('LONG1', (u) => u.long(u.byte())),
  '\x8b': push('LONG4', (u) => u.long(u.length(u.int32()))),
  G: push('BINFLOAT', (u) => u.float64()),
  I: push('INT', (u) => u.textInt()), // protocol 0, also True/False as 01/00
  X: push('BINUNICODE', (u) => u.utf8(u.u32())),
  '\x8c': push('SHORT_BINUNICODE', (u) => u.utf8(u.byte())),
  '\x8d': push('BINUNICODE8', (u) => u.utf8(u.u64())),
  T: push('BINSTRING', (u) => u.take(u.length(u.int32()))), // Python 2 str; a signed length in CPython
  U: push('SHORT_BINSTRING', (u) => u.take(u.byte())),
  B: push('BINBYTES', (u) => u.take(u.u32())),
  C: push('SHORT_BINBYTES', (u) => u.take(u.byte())),
  '\x8e': push('BINBYTES8', (u) => u.take(u.u64())),
  '\x96': push('BYTEARRAY8', (u) => u.take(u.u64())),
  ')': push('EMPTY_TUPLE', () => []),
  ']': push('EMPTY_LIST', () => []),
  '}': push('EMPTY_DICT', () => new Map()),
  '\x8f': push('EMPTY_SET', () => new Set()),
  '\x85': push('TUPLE1', (u) => [u.pop()]),
  '\x86': push('TUPLE2', (u) => u.popCount(2)),
  '\x87': push('TUPLE3', (u) => u.popCount(3)),
  t: push('TUPLE', (u) => u.popToMark()),
  l: push('LIST', (u) => u.popToMark()),
  d: push('DICT', (u) => u.setItems(new Map(), u.popToMark())),
  a: { name: 'APPEND', run: (u) => u.append([u.pop()]) },
  e: { name: 'APPENDS', run: (u) => u.append(u.popToMark()) },
  s: { name: 'SETITEM', run: (u) => u.setItemsOnTop(u.popCount(2)) },
  u: { name: 'SETITEMS', run: (u) => u.setItemsOnTop(u.popToMark()) },
  '\x90': { name: 'ADDITEMS', run: (u) => u.addItems(u.popToMark()) },
  c: push('GLOBAL', (u) => u.global(u.line(), u.line())),
  '\x93': push('STACK_GLOBAL', (u) => {
    const [module, name] = u.popCount(2);
    return u.global(module, name);
  }),
  R: push('REDUCE', (u) => u.call()),
  '\x81': push('NEWOBJ', (u) => u.call()),
  b: { name: 'BUILD', run: (u) => u.build() },
  q: { name: 'BINPUT', run: (u) => u.memoize(u.byte()) },
  r: { name: 'LONG_BINPUT', run: (u) => u.memoize(u.u32()) },
  '\x94': { name: 'MEMOIZE', run: (u) => u.memoize(u.memoSize) },
  h: push('BINGET', (u) => u.recall(u.byte())),
  j: push('LONG_BINGET', (u) => u.recall(u.u32())),
  '0': { name: 'POP', run: (u) => u.pop() },
  '2': push('DUP', (u) => u.top()),
};

class Unpickler {
  private position = 0;
  private readonly stack: unknown[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;
  /** The opcode being run and its offset, for error messages. */
  private opcode = 'start';
  private opcodeAt = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    private readonly globals: PickleGlobals,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  load(): unknown {
    for (;;) {
      this.opcodeAt = this.position;
      this.opcode = '';
      const code = this.byte();
      const opcode = OPCODES[String.fromCharCode(code)];
      if (code === 0x2e) {
        this.opcode = 'STOP';
        return this.pop();
      }
      if (!opcode) throw this.error(`unsupported pickle opcode 0x${code.toString(16).padStart(2, '0')}`);
      this.opcode = opcode.name;
      opcode.run(this);
      if (this.stack.length > MAX_STACK) throw this.error(`corrupt pickle: more than ${MAX_STACK} values on the stack`);
    }
  }

  error(message: string): AcafError {
    return new AcafError(`${this.file}: ${message}${this.opcode ? ` in ${this.opcode}` : ''} at byte ${this.opcodeAt}`);
  }

  push(value: unknown): void {
    this.stack.push(value);
  }

  /** The offset of the next `count` bytes, which must all be in the file. */
  private advance(count: number): number {
    const at = this.position;
    if (count > this.bytes.length - at) {
      throw this.error(`truncated pickle: needs ${count} bytes where ${this.bytes.length - at} remain`);
    }
    this.position += count;
    return at;
  }

  /** A length read from the file: never negative (a negative length would move the reader backwards). */
  length(value: number): number {
    if (value < 0) throw this.error(`corrupt pickle: negative length ${value}`);
    return value;
  }

  byte(): number {
    return this.bytes[this.advance(1)];
  }

  uint16(): number {
    return this.view.getUint16(this.advance(2), true);
  }

  int32(): number {
    return this.view.getInt32(this.advance(4), true);
  }

  u32(): number {
    return this.view.getUint32(this.advance(4), true);
  }

  u64(): number {
    const at = this.advance(8);
    return this.view.getUint32(at, true) + this.view.getUint32(at + 4, true) * 2 ** 32;
  }

  float64(): number {
    return this.view.getFloat64(this.advance(8), false);
  }

  take(count: number): Uint8Array {
    const at = this.advance(count);
    return this.bytes.subarray(at, at + count);
  }

  utf8(count: number): string {
    return Buffer.from(this.take(count)).toString('utf8');
  }

  line(): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0) throw this.error('truncated pickle: unterminated text line');
    const text = Buffer.from(this.bytes.subarray(this.position, end)).toString('latin1');
    this.position = end + 1;
    return text;
  }

  textInt(): number | boolean {
    const text = this.line();
    if (text === '01' || text === '00') return text === '01';
    if (!/^\s*[-+]?\d+\s*$/.test(text)) throw this.error(`corrupt pickle: '${text.slice(0, 40)}' is not an integer`);
    return Number.parseInt(text, 10);
  }

  /** Little-endian two's-complement integer of `count` bytes, as a double (exact up to 2^53). */
  long(count: number): number {
    const digits = this.take(count);
    let value = 0;
    for (let i = digits.length - 1; i >= 0; i--) value = value * 256 + digits[i];
    if (count > 0 && digits[count - 1] & 0x80) value -= 2 ** (8 * count);
    return value;
  }

  pop(): unknown {
    if (this.stack.length === 0 || this.stack[this.stack.length - 1] === MARK) throw this.error('corrupt pickle: stack underflow');
    return this.stack.pop();
  }

  top(): unknown {
    if (this.stack.length === 0 || this.stack[this.stack.length - 1] === MARK) throw this.error('corrupt pickle: stack underflow');
    return this.stack[this.stack.length - 1];
  }

  /** The top `count` values, deepest first. */
  popCount(count: number): unknown[] {
    const values = Array.from({ length: count }, () => this.pop());
    return values.reverse();
  }

  popToMark(): unknown[] {
    const mark = this.stack.lastIndexOf(MARK);
    if (mark < 0) throw this.error('corrupt pickle: no MARK on the stack');
    const items = this.stack.splice(mark);
    return items.slice(1);
  }

  get memoSize(): number {
    return this.memo.size;
  }

  memoize(index: number): void {
    this.memo.set(index, this.top());
  }

  recall(index: number): unknown {
    if (!this.memo.has(index)) throw this.error(`corrupt pickle: memo entry ${index} used before it is set`);
    return this.memo.get(index);
  }

  append(items: unknown[]): void {
    const list = this.top();
    if (!Array.isArray(list)) throw this.error('corrupt pickle: APPEND to something that is not a list');
    for (const item of items) list.push(item);
  }

  addItems(items: unknown[]): void {
    const set = this.top();
    if (!(set instanceof Set)) throw this.error('corrupt pickle: ADDITEMS to something that is not a set');
    for (const item of items) set.add(item);
  }

  /** Sets key/value pairs (a flat list, already popped) on the dict on top of the stack. */
  setItemsOnTop(items: unknown[]): void {
    this.setItems(this.top(), items);
  }

  /** Sets key/value pairs (a flat list) on a dict, which it returns. */
  setItems(target: unknown, items: unknown[]): Map<unknown, unknown> {
    if (!(target instanceof Map)) throw this.error('corrupt pickle: SETITEM on something that is not a dict');
    if (items.length % 2) throw this.error('corrupt pickle: a key without a value');
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i];
      target.set(key instanceof Uint8Array ? Buffer.from(key).toString('latin1') : key, items[i + 1]);
    }
    return target;
  }

  global(module: unknown, name: unknown): PyGlobal {
    if (typeof module !== 'string' || typeof name !== 'string') throw this.error('corrupt pickle: a global whose name is not text');
    const global = new PyGlobal(module, name);
    if (!this.globals.has(`${module}.${name}`)) throw this.error(`pickle refers to the unsupported Python object ${module}.${name}`);
    return global;
  }

  call(): unknown {
    const [callable, args] = this.popCount(2);
    if (!(callable instanceof PyGlobal)) throw this.error('corrupt pickle: call of something that is not a global');
    if (!Array.isArray(args)) throw this.error(`corrupt pickle: arguments of ${callable.module}.${callable.name} are not a tuple`);
    return this.globals.get(`${callable.module}.${callable.name}`)!(args, this.file);
  }

  build(): void {
    const state = this.pop();
    const target = this.top();
    if (target instanceof Map && state instanceof Map) {
      state.forEach((value, key) => target.set(key, value));
      return;
    }
    const buildable = target as Partial<Buildable> | null;
    if (!buildable || typeof buildable.setState !== 'function') throw this.error('corrupt pickle: BUILD on an object without state');
    buildable.setState(state, this.file);
  }
}
