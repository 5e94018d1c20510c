import { AcafError } from '../../errors';
import { NumpyArray, NumpyDtype } from './numpy';
import type { Reconstructor } from './pickle';

/**
 * The Python globals a data pickle may call, by `module.name`: numpy arrays (both numpy 1 `numpy.core` and numpy 2
 * `numpy._core` paths), dtypes and scalars, bytes as Python 3 writes them at protocol 2, and OrderedDict.
 * Nothing else is ever called: the unpickler rejects any other global by name.
 */
const globals = new Map<string, Reconstructor>();
export const dataPickleGlobals: ReadonlyMap<string, Reconstructor> = globals;

function register(names: string[], reconstruct: Reconstructor): void {
  for (const name of names) globals.set(name, reconstruct);
}

/** The one text argument of a global, e.g. numpy.dtype('u1'). */
function textArgument(args: unknown[], what: string, file: string): string {
  if (typeof args[0] !== 'string') throw new AcafError(`${file}: corrupt ${what} in pickle (expected a text argument)`);
  return args[0];
}

const latin1Bytes: Reconstructor = (args, file) => (args.length ? Buffer.from(textArgument(args, 'bytes', file), 'latin1') : new Uint8Array(0));

register(['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct', 'numpy.ndarray'], () => new NumpyArray());
register(['numpy.dtype'], (args, file) => new NumpyDtype(textArgument(args, 'numpy.dtype', file)));
// Protocol 5 pickles arrays as _frombuffer(buffer, dtype, shape, order).
register(['numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer'], ([buffer, dtype, shape, order], file) => {
  const array = new NumpyArray();
  array.setState([shape, dtype, order === 'F', buffer], file);
  return array;
});
register(['numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar'], ([dtype, data], file) => {
  const array = new NumpyArray();
  array.setState([[], dtype, false, data], file);
  return array.toNumbers(file)[0];
});
// Python 3 at protocol 2 writes bytes as _codecs.encode(latin1_text, 'latin1').
register(['_codecs.encode', 'builtins.bytes', '__builtin__.bytes', 'builtins.bytearray', '__builtin__.bytearray'], latin1Bytes);
register(['collections.OrderedDict'], ([pairs], file) => {
  if (pairs === undefined) return new Map();
  if (!Array.isArray(pairs) || !pairs.every((pair) => Array.isArray(pair) && pair.length === 2)) {
    throw new AcafError(`${file}: corrupt OrderedDict in pickle (expected a list of key/value pairs)`);
  }
  return new Map(pairs as [unknown, unknown][]);
});
register(['builtins.set', '__builtin__.set'], ([items], file) => {
  if (items !== undefined && !Array.isArray(items)) throw new AcafError(`${file}: corrupt set in pickle`);
  return new Set((items as unknown[]) ?? []);
});
