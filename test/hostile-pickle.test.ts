/**
 * Regression cases for hostile pickles (issue 15, item 1): every length, count, memo index and stack access a
 * pickle makes is checked; each case ends at once with one line naming the file, the opcode and its offset.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unpickle } from '../src/data/readers/pickle';
import { dataPickleGlobals } from '../src/data/readers/pickle-globals';
import { pyText } from '../src/data/readers/pickle-values';
import { AcafError } from '../src/errors';
import { acaf } from './helpers/cli';
import { FIXTURES, removeTempDirs, tempDir } from './helpers/data-fixtures';

afterAll(removeTempDirs);

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const u32le = (value: number) => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];

/** PROTO 2, LONG4 with length -1, STOP: 8 bytes that used to loop forever and exhaust memory. */
const NEGATIVE_LONG4 = bytes([0x80, 0x02, 0x8b], u32le(0xffffffff), '.');

function unpickleError(pickle: Buffer): string {
  const started = Date.now();
  let caught: unknown;
  try {
    unpickle(pickle, 'hostile.pkl', dataPickleGlobals);
  } catch (error) {
    caught = error;
  }
  expect(Date.now() - started).toBeLessThan(1000);
  expect(caught).toBeInstanceOf(AcafError);
  const message = (caught as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  expect(message).toMatch(/^hostile\.pkl: /);
  return message;
}

it('the 8-byte negative LONG4 pickle fails at once through the CLI: one line, exit 1, no stack trace', () => {
  expect(NEGATIVE_LONG4).toHaveLength(8);
  const dir = path.join(tempDir(), 'cifar-10-batches-py');
  fs.cpSync(path.join(FIXTURES, 'cifar-10-batches-py-py2'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'data_batch_1'), NEGATIVE_LONG4);
  const started = Date.now();
  const result = acaf(['data', 'info', '--dataset', 'cifar10', '--dir', dir], { timeoutMs: 30000 });
  expect(Date.now() - started).toBeLessThan(30000);
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    `acaf: ${path.join(dir, 'data_batch_1')}: corrupt pickle: negative length -1 in LONG4 at byte 2`,
  ]);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
});

it.each([
  ['LONG4 with a negative length', NEGATIVE_LONG4, /negative length -1 in LONG4 at byte 2/],
  [
    'LONG4 longer than the file',
    bytes([0x80, 0x02, 0x8b], u32le(0x7fffffff), '.'),
    /truncated pickle: needs 2147483647 bytes where 1 remain in LONG4 at byte 2/,
  ],
  ['LONG1 longer than the file', bytes([0x80, 0x02, 0x8a, 0xff, 1, 2]), /needs 255 bytes where 2 remain in LONG1 at byte 2/],
  ['BINSTRING with a negative length', bytes('T', u32le(0xfffffff0), '.'), /negative length -16 in BINSTRING at byte 0/],
  ['BINUNICODE of 4 GB', bytes('X', u32le(0xffffffff), 'abc.'), /needs 4294967295 bytes where 4 remain in BINUNICODE at byte 0/],
  ['BINBYTES of 4 GB', bytes('B', u32le(0xffffffff), '.'), /in BINBYTES at byte 0/],
  [
    'BINBYTES8 of 2^64 - 1',
    bytes([0x8e, ...u32le(0xffffffff), ...u32le(0xffffffff)], '.'),
    /needs 18446744073709552000 bytes where 1 remain in BINBYTES8/,
  ],
  ['BINUNICODE8 beyond the file', bytes([0x8d, ...u32le(9), 0, 0, 0, 0], 'abc.'), /needs 9 bytes where 4 remain in BINUNICODE8/],
  ['BYTEARRAY8 beyond the file', bytes([0x96, ...u32le(0), 1, 0, 0, 0], '.'), /needs 4294967296 bytes where 1 remain in BYTEARRAY8/],
  ['SHORT_BINBYTES beyond the file', bytes('C', [200], 'ab'), /needs 200 bytes where 2 remain in SHORT_BINBYTES/],
  ['FRAME cut short', bytes([0x80, 0x04, 0x95, 1, 2]), /truncated pickle: needs 8 bytes where 2 remain in FRAME at byte 2/],
  ['a file with no STOP', bytes([0x80, 0x02], 'N'), /truncated pickle: needs 1 bytes where 0 remain at byte 3/],
  ['an empty file', Buffer.alloc(0), /truncated pickle: needs 1 bytes where 0 remain at byte 0/],
  ['BINGET of an unset memo entry', bytes('h', [7], '.'), /memo entry 7 used before it is set in BINGET at byte 0/],
  [
    'LONG_BINGET of a huge memo index',
    bytes('N', 'r', u32le(1), 'j', u32le(0xffffffff), '.'),
    /memo entry 4294967295 used before it is set in LONG_BINGET at byte 6/,
  ],
  ['BINPUT on an empty stack', bytes('q', [0], '.'), /stack underflow in BINPUT at byte 0/],
  ['STOP on an empty stack', bytes('.'), /stack underflow in STOP at byte 0/],
  ['POP of a MARK', bytes('(0.'), /stack underflow in POP at byte 1/],
  ['STOP returning a MARK', bytes('(.'), /stack underflow in STOP at byte 1/],
  ['TUPLE3 of two values', bytes('NN', [0x87], '.'), /stack underflow in TUPLE3 at byte 2/],
  ['TUPLE without a MARK', bytes('Nt.'), /no MARK on the stack in TUPLE at byte 1/],
  ['APPENDS to a dict', bytes('}(Ne.'), /APPEND to something that is not a list in APPENDS at byte 3/],
  ['ADDITEMS to a list', bytes('](N', [0x90], '.'), /ADDITEMS to something that is not a set in ADDITEMS at byte 3/],
  ['SETITEMS with a key but no value', bytes('}(Nu.'), /a key without a value in SETITEMS at byte 3/],
  ['REDUCE of something that is not a global', bytes('N)R.'), /call of something that is not a global in REDUCE at byte 2/],
  ['REDUCE with arguments that are not a tuple', bytes('cnumpy\ndtype\nNR.'), /arguments of numpy\.dtype are not a tuple in REDUCE/],
  ['numpy.dtype called with a list', bytes('cnumpy\ndtype\n]', [0x85], 'R.'), /corrupt numpy\.dtype in pickle/],
  ['STACK_GLOBAL with names that are not text', bytes('NN', [0x93], '.'), /a global whose name is not text in STACK_GLOBAL at byte 2/],
  ['a global that runs code', bytes('cos\nsystem\n.'), /unsupported Python object os\.system in GLOBAL at byte 0/],
  ['a global reached through the prototype chain', bytes('c__proto__\nconstructor\n.'), /unsupported Python object __proto__\.constructor/],
  ['INT that is not a number', bytes('Iabc\n.'), /'abc' is not an integer in INT at byte 0/],
  ['GLOBAL without an end of line', bytes('cnumpy'), /unterminated text line in GLOBAL at byte 0/],
  ['an unknown opcode', bytes([0x80, 0x02, 0xff]), /unsupported pickle opcode 0xff at byte 2$/],
])('%s: one line naming the file, the opcode and the offset', (_, pickle, pattern) => {
  expect(unpickleError(pickle)).toMatch(pattern);
});

it('300,000 values after a MARK are appended without overflowing the call stack', () => {
  const pickle = bytes('](', 'N'.repeat(300_000), 'e.');
  const list = unpickle(pickle, 'long.pkl', dataPickleGlobals) as unknown[];
  expect(list).toHaveLength(300_000);
});

it('a numpy array state whose shape is not a list of sizes is refused', () => {
  // _reconstruct() BUILD with (1, "shape", dtype, False, b"") where the shape is text.
  const array = bytes('cnumpy\nndarray\n)R', '(K\x01X', u32le(5), 'shapecnumpy\ndtype\n(X', u32le(2), 'u1tR', [0x89], 'C', [0], 'tb.');
  expect(unpickleError(array)).toMatch(/corrupt numpy array state \(the shape is not a list of at most 64 sizes\)/);
});

it('lists nested 200,000 deep overflow no stack, reading them or reporting them', () => {
  const depth = 200_000;
  // [[[...[]...]]] as 200,000 MARKs, each closed by a LIST opcode.
  const deep = bytes('('.repeat(depth), 'l'.repeat(depth), '.');
  let value = unpickle(deep, 'deep.pkl', dataPickleGlobals) as unknown[];
  expect(() => pyText(value, 'label_names[0]', 'deep.pkl')).toThrow(/^deep\.pkl: label_names\[0\] is a list of 1, expected text$/);
  for (let level = 1; level < depth; level++) value = value[0] as unknown[];
  expect(value).toEqual([]);
});
